using VoxTile.IR;
using VoxTile.Models.Api;
using VoxTile.Models.Audio;
using VoxTile.Models.Tests.Device;
using VoxTile.Runtime.Execution;
using VoxTile.Testing;
using Xunit.Abstractions;

namespace VoxTile.Models.Tests.Api;

/// <summary>The public converter API on the golden converter-tiny: its embedding, its streaming, its lock, its refusals.</summary>
[Collection(DeviceRuns.Name)]
public sealed class VoiceConverterTests(ITestOutputHelper output)
{
    private static string Dir => Golden.Case("converter-tiny")!;

    private static AudioClip Wav(string name) => WavFile.Read(Path.Combine(Dir, name));

    private static PipelineOptions Device(string dtype = "f32") => new() { DType = dtype, CachePlans = false };

    [GoldenTheory]
    [InlineData(BackendKind.Reference, 0.99999)]
    [InlineData(BackendKind.Device, 0.99)]
    public void TheEmbeddingIsOpenVoices(BackendKind backend, double bar)
    {
        using var converter = VoiceConverter.Load(Dir, Device("bf16") with { Backend = backend });
        var se = converter.ExtractEmbedding(Wav("reference.wav"));
        var pcc = ReferenceCheck.Pcc(se.ToTensor().Data, Golden.Load("converter-tiny", "se_target").Data);
        output.WriteLine($"{backend}: se_target PCC {pcc:F7}");
        Assert.True(pcc >= bar, $"PCC {pcc}");
    }

    // Three times the golden source is 1548 frames: two chunks of 1024 with the receptive field between them.
    [GoldenFact("converter-tiny")]
    public void ChunksStreamInOrderAndMakeTheWholeConversion()
    {
        var source = Wav("source.wav");
        var longer = new AudioClip([.. source.Samples, .. source.Samples, .. source.Samples], source.SampleRate, 1, source.Format);
        using var converter = VoiceConverter.Load(Dir, Device());
        var target = new VoiceEmbedding(Golden.Load("converter-tiny", "se_target"));
        var reports = new List<double>();
        var pieces = converter.ConvertInChunks(longer, target, progress: new SyncProgress(reports.Add)).ToList();
        var whole = converter.Convert(longer, target);
        output.WriteLine($"{pieces.Count} pieces of {string.Join(", ", pieces.Select(p => p.Samples.Length))} samples; progress {string.Join(" ", reports.Select(r => r.ToString("F2")))}");
        Assert.True(pieces.Count >= 2);
        Assert.Equal(whole.Samples, pieces.SelectMany(p => p.Samples).ToArray());
        Assert.Equal(1.0, reports[^1]);
        Assert.Equal(reports.OrderBy(r => r), reports);
    }

    // Without the lock, parallel calls would share one executor's device memory and mix each other's values.
    [GoldenFact("converter-tiny")]
    public void ParallelCallsGiveWhatOneCallGives()
    {
        using var converter = VoiceConverter.Load(Dir, Device());
        var source = Wav("source.wav");
        var target = new VoiceEmbedding(Golden.Load("converter-tiny", "se_target"));
        var alone = converter.Convert(source, target, seed: 3).Samples;
        var together = Enumerable.Range(0, 4).AsParallel().WithDegreeOfParallelism(4).Select(_ => converter.Convert(source, target, seed: 3).Samples).ToList();
        Assert.All(together, t => Assert.Equal(alone, t));
    }

    // Two instances share the process's one native kernel pool: their kernels take turns on it (this crashed the test
    // host before the pool took one job at a time), and one instance's thread count resizing the pool mid-run is safe.
    [GoldenFact("converter-tiny")]
    public void TwoInstancesOnTwoThreadsGiveWhatEachGivesAlone()
    {
        var source = Wav("source.wav");
        var target = new VoiceEmbedding(Golden.Load("converter-tiny", "se_target"));
        using var a = VoiceConverter.Load(Dir, Device() with { Threads = 2 });
        using var b = VoiceConverter.Load(Dir, Device("bf16") with { Threads = 3 });
        var aloneA = a.Convert(source, target, seed: 5).Samples;
        var aloneB = b.Convert(source, target, seed: 6).Samples;
        var runs = Enumerable.Range(0, 6).AsParallel().WithDegreeOfParallelism(2)
            .Select(i => i % 2 == 0 ? (i, a.Convert(source, target, seed: 5).Samples) : (i, b.Convert(source, target, seed: 6).Samples))
            .ToList();
        Assert.All(runs, r => Assert.Equal(r.i % 2 == 0 ? aloneA : aloneB, r.Samples));
    }

    [GoldenFact("converter-tiny")]
    public void ASeedIsADraw()
    {
        using var converter = VoiceConverter.Load(Dir, Device() with { Backend = BackendKind.Reference });
        var source = Wav("source.wav");
        var target = new VoiceEmbedding(Golden.Load("converter-tiny", "se_target"));
        Assert.Equal(converter.Convert(source, target, seed: 1).Samples, converter.Convert(source, target, seed: 1).Samples);
        Assert.NotEqual(converter.Convert(source, target, seed: 1).Samples, converter.Convert(source, target, seed: 2).Samples);
    }

    [GoldenFact("converter-tiny")]
    public void BadInputIsOneClearLine()
    {
        Assert.Contains("dtype", Assert.Throws<VoxTileException>(() => VoiceConverter.Load(Dir, new PipelineOptions { DType = "fp16" })).Message);
        Assert.Contains("unknown target", Assert.Throws<VoxTileException>(() => VoiceConverter.Load(Dir, new PipelineOptions { Target = "gpu" })).Message);
        Assert.Throws<VoxTileException>(() => VoiceConverter.Load(Path.Combine(Dir, "absent")));
        using var converter = VoiceConverter.Load(Dir, Device());
        var tooShort = new AudioClip(new float[20], 22050, 1, "test");
        Assert.Contains($"shorter than the converter's minimum of {converter.Model.MinLength}", Assert.Throws<VoxTileException>(() => converter.ExtractEmbedding(tooShort)).Message);
        var wrongWidth = new VoiceEmbedding(new Tensor([1, 7, 1]));
        Assert.Contains("embedding", Assert.Throws<VoxTileException>(() => converter.Convert(Wav("source.wav"), wrongWidth)).Message);
        converter.Dispose();
        Assert.Throws<ObjectDisposedException>(() => converter.Convert(Wav("source.wav"), wrongWidth));
    }

    private sealed class SyncProgress(Action<double> report) : IProgress<double>
    {
        public void Report(double value) => report(value);
    }
}
