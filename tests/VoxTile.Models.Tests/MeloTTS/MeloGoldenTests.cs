using System.Text.Json;
using VoxTile.IR;
using VoxTile.Models.Checkpoints;
using VoxTile.Models.Config;
using VoxTile.Models.MeloTTS;
using VoxTile.Testing;
using Xunit.Abstractions;

namespace VoxTile.Models.Tests.MeloTTS;

/// <summary>
/// Parity of the MeloTTS reference path with PyTorch on the golden TTS cases, replaying the recorded noise_0 (SDP) and
/// noise_1 (prior) through a static frame bucket longer than the utterance. Durations and the path must be exactly
/// equal; every other tensor (trimmed to the utterance) PCC ≥ 0.99999 and max abs error ≤ 1e-3 × max |golden|.
/// </summary>
public sealed class MeloGoldenTests(ITestOutputHelper output)
{
    [GoldenTheory]
    [InlineData("tts-tiny")]
    [InlineData("tts-tiny-wnflow")]
    public void SynthesisMatchesPyTorch(string name)
    {
        var model = MeloSynthesizer.Load(Golden.Case(name)!);
        var golden = Golden.Load(name, "attn");
        int frames = golden.Shape[0];
        var logw = default(Tensor);
        var pipeline = new MeloPipeline(model) { Observe = (n, t) => { if (n == "logw") logw = t; } };
        var p = Params(name);
        var options = new MeloSynthesisOptions
        {
            SdpRatio = p.GetProperty("sdp_ratio").GetDouble(),
            NoiseScale = p.GetProperty("noise_scale").GetDouble(),
            NoiseScaleW = p.GetProperty("noise_scale_w").GetDouble(),
            LengthScale = p.GetProperty("length_scale").GetDouble(),
        };
        // A bucket well past the utterance, so that the masked tail is exercised.
        int bucket = MeloSynthesizer.RoundUpFrames(frames + 40);

        var r = pipeline.Synthesize(Input(name, p.GetProperty("speaker_id").GetInt32()), options,
            new MeloNoise.Replay(Golden.Load(name, "noise_0"), Golden.Load(name, "noise_1")), bucket);

        Assert.Equal(bucket, r.Bucket);
        Assert.Equal(frames, r.Frames);
        Assert.Equal(Golden.Load(name, "durations").Data, r.Durations.Data);
        Assert.Equal(golden.Data, r.Attn.Data);
        output.WriteLine($"{name,-16} durations and attn exactly equal ({r.Durations.Length} phonemes, {frames} frames in a bucket of {bucket}); " +
            $"closest predicted duration to a whole frame: {ClosestToInteger(logw!, options.LengthScale):E2}");
        Check(name, "m_p", r.MP);
        Check(name, "logs_p", r.LogsP);
        Check(name, "z_p", r.ZP);
        Check(name, "z", r.Z);
        Check(name, "audio", new Tensor([r.Audio.Length], r.Audio));
    }

    [GoldenTheory]
    [InlineData("tts-tiny")]
    [InlineData("tts-tiny-wnflow")]
    public void CheckpointLoadsWithNothingUnexpected(string name)
    {
        var dir = Golden.Case(name)!;
        var state = TorchCheckpoint.Load(Path.Combine(dir, "checkpoint.pth"));

        // Building reads every tensor the model needs and then fails on any other key outside the ignored prefixes.
        var model = MeloSynthesizer.FromState(MeloConfig.Load(Path.Combine(dir, "config.json")), state, name);

        var ignored = state.Keys.Where(k => MeloSynthesizer.UnusedPrefixes.Any(p => k.StartsWith(p, StringComparison.Ordinal))).ToList();
        foreach (var prefix in MeloSynthesizer.UnusedPrefixes) Assert.Contains(ignored, k => k.StartsWith(prefix, StringComparison.Ordinal));
        output.WriteLine($"{name}: {state.Count} tensors after folding weight norm, {ignored.Count} unused by inference ({string.Join(", ", MeloSynthesizer.UnusedPrefixes)})");
        Assert.Equal(name, model.Description);
    }

    [GoldenFact("tts-tiny")]
    public void ACheckpointWithAnExtraKeyIsRefused()
    {
        var dir = Golden.Case("tts-tiny")!;
        var state = TorchCheckpoint.Load(Path.Combine(dir, "checkpoint.pth"));
        var tensors = state.Keys.ToDictionary(k => k, k => state.Get(k));
        tensors["enc_p.extra.weight"] = Tensor.Zeros(2);

        var e = Assert.Throws<VoxTileException>(() =>
            MeloSynthesizer.FromState(MeloConfig.Load(Path.Combine(dir, "config.json")), StateDict.FromTensors(tensors), "extra"));

        Assert.Equal("checkpoint: unexpected key 'enc_p.extra.weight' (not used by the model)", e.Message);
    }

    [GoldenFact("tts-tiny")]
    public void ACheckpointMissingAKeyNamesIt()
    {
        var dir = Golden.Case("tts-tiny")!;
        var state = TorchCheckpoint.Load(Path.Combine(dir, "checkpoint.pth"));
        var tensors = state.Keys.Where(k => k != "sdp.flows.5.proj.bias").ToDictionary(k => k, k => state.Get(k));

        var e = Assert.Throws<VoxTileException>(() =>
            MeloSynthesizer.FromState(MeloConfig.Load(Path.Combine(dir, "config.json")), StateDict.FromTensors(tensors), "missing"));

        Assert.Equal("checkpoint: missing key 'sdp.flows.5.proj.bias'", e.Message);
    }

    private void Check(string name, string tensor, Tensor actual)
    {
        var golden = Golden.Load(name, tensor);
        var (pcc, err) = Compare.AssertClose(actual.Reshape(golden.Shape), golden, $"{name}/{tensor}");
        output.WriteLine($"{name,-16} {tensor,-8} PCC {pcc:F9} (1−PCC {1 - pcc:E1})  max abs err {err:E2}  (bar {1e-3 * Compare.MaxAbs(golden.Data):E2})");
    }

    private static MeloInput Input(string name, int speaker)
    {
        static int[] Ids(Tensor t) => [.. t.Data.Select(v => (int)v)];
        return new MeloInput(Ids(Golden.Load(name, "phonemes")), Ids(Golden.Load(name, "tones")), Ids(Golden.Load(name, "languages")),
            Golden.Load(name, "bert"), Golden.Load(name, "ja_bert"), speaker);
    }

    private static JsonElement Params(string name)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(Golden.Case(name)!, "manifest.json")));
        return doc.RootElement.GetProperty("params").Clone();
    }

    /// <summary>How near exp(logw)·length_scale comes to an integer: the margin the exact durations rest on.</summary>
    private static double ClosestToInteger(Tensor logw, double lengthScale) =>
        logw.Data.Min(v => { double w = Math.Exp(v) * lengthScale; return Math.Abs(w - Math.Round(w)); });
}
