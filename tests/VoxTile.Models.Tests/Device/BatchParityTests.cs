using VoxTile.IR;
using VoxTile.Models.Config;
using VoxTile.Models.Device;
using VoxTile.Models.OpenVoice;
using VoxTile.Runtime.Execution;
using Xunit.Abstractions;

namespace VoxTile.Models.Tests.Device;

/// <summary>
/// A batch of conversions gives each item what a run of that item alone gives: items of different lengths (buckets of
/// one and several chunks, items shorter than their bucket), each with its own embeddings and seed, run through batch
/// plans of up to B chunks.
/// </summary>
[Collection(DeviceRuns.Name)]
public sealed class BatchParityTests(ITestOutputHelper output)
{
    /// <summary>The converter-tiny shape (channels 16–32, n_fft 128, hop 32, upsampling 4·4·2).</summary>
    private static readonly ConverterConfig Tiny = ConverterConfig.ReleasedV2 with
    {
        FilterLength = 128,
        HopLength = 32,
        WinLength = 128,
        InterChannels = 16,
        HiddenChannels = 32,
        UpsampleRates = [4, 4, 2],
        UpsampleInitialChannel = 32,
        UpsampleKernelSizes = [8, 8, 4],
        GinChannels = 32,
    };

    private static readonly ToneColorConverter Model = ToneColorConverter.Random(Tiny, 7);

    private static ConversionItem Item(int frames, int seed)
    {
        var rng = new Random(seed);
        float[] Values(int n, float scale) => [.. Enumerable.Range(0, n).Select(_ => (float)(rng.NextDouble() * 2 - 1) * scale)];
        int gin = Tiny.GinChannels;
        return new ConversionItem(Values(frames * Tiny.HopLength, 0.5f), new Tensor([1, gin, 1], Values(gin, 1)), new Tensor([1, gin, 1], Values(gin, 1)),
            new NoiseSource.Seeded(100 + seed));
    }

    [Theory]
    [InlineData("f32", 1024, 3)]
    [InlineData("bf16", 1024, 3)]
    [InlineData("f32", 256, 2)]
    public void EachItemEqualsItsRunAlone(string dtype, int chunkFrames, int maxBatch)
    {
        // 300 and 260 frames share the 384-frame bucket; 100 is alone in its bucket; with 256-frame chunks the long
        // items split into chunks that batch with the others' and with each other.
        int[] frames = chunkFrames == 1024 ? [300, 100, 260, 383] : [700, 100, 256, 530];
        Assert.True(chunkFrames == 1024 || ReceptiveField.Frames(Tiny) * 2 < chunkFrames);
        var items = frames.Select((f, i) => Item(f, i)).ToList();
        using var backend = new DeviceConverterBackend(new DeviceBackendOptions { DType = dtype, ChunkFrames = chunkFrames });
        var batched = backend.ConvertBatch(Model, items, 0.3f, maxBatch);
        Assert.Contains(backend.Executors, e => e.Plan.Plan.Bucket.GetValueOrDefault("batch") > 1);
        for (int i = 0; i < items.Count; i++)
        {
            var alone = backend.Convert(Model, items[i].Source, items[i].SeSource, items[i].SeTarget, 0.3f, items[i].Noise, null, null);
            Assert.Equal(alone.Length, batched[i].Length);
            double pcc = ReferenceCheck.Pcc(alone, batched[i]);
            output.WriteLine($"{dtype}, chunks of {chunkFrames}, batches of ≤ {maxBatch}: item {i + 1} ({frames[i]} frames): PCC {pcc:F8}, max abs diff {ReferenceCheck.MaxAbsError(alone, batched[i]):E2}");
            if (dtype == "f32") Assert.Equal(alone, batched[i]);
            else Assert.True(pcc >= 0.9999, $"item {i + 1}: PCC {pcc}");
        }
    }

    [Fact]
    public void TheReferenceBatchGraphComputesEachItemAsAlone()
    {
        // The fp32 interpreter on voice_conversion built for B = 3 equals three batch-1 runs, item by item.
        int frames = 40, samples = Model.SamplesForFrames(frames), inter = Tiny.InterChannels, gin = Tiny.GinChannels;
        var items = Enumerable.Range(0, 3).Select(i => Item(frames, 10 + i)).ToList();
        var noises = items.Select((it, i) => DeviceConverterBackend.Draw([1, inter, frames], 100 + 10 + i)).ToList();
        var g = Model.BuildConversionGraph(samples, 0.3f, new NoiseSource.Replay(new Tensor([3, inter, frames])), batch: 3);
        var batch = IR.Interp.Interpreter.Run(g, [
            Stack(items.Select(it => new Tensor([1, samples], it.Source[..samples]))), Stack(items.Select(it => it.SeSource)),
            Stack(items.Select(it => it.SeTarget)), Stack(noises)])[0];
        var single = Model.BuildConversionGraph(samples, 0.3f, new NoiseSource.Replay(noises[0]));
        long each = batch.Data.LongLength / 3;
        for (int i = 0; i < 3; i++)
        {
            var alone = IR.Interp.Interpreter.Run(single, [new Tensor([1, samples], items[i].Source[..samples]), items[i].SeSource, items[i].SeTarget, noises[i]])[0];
            Assert.Equal(alone.Data, batch.Data.AsSpan((int)(i * each), (int)each).ToArray());
        }
    }

    private static Tensor Stack(IEnumerable<Tensor> items)
    {
        var list = items.ToList();
        var shape = list[0].Shape.ToArray();
        shape[0] = list.Count;
        return new Tensor(shape, [.. list.SelectMany(t => t.Data)]);
    }
}
