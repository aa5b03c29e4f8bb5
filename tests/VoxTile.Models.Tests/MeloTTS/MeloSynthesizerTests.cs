using VoxTile.IR;
using VoxTile.IR.Text;
using VoxTile.IR.Verify;
using VoxTile.Models.Config;
using VoxTile.Models.MeloTTS;
using VoxTile.Testing;
using Xunit.Abstractions;

namespace VoxTile.Models.Tests.MeloTTS;

/// <summary>Graph structure of the synthesizer: the released shape with random weights (built, never run), buckets and noise.</summary>
public sealed class MeloSynthesizerTests(ITestOutputHelper output)
{
    /// <summary>A small config of the released structure (transformer flow, five upsamplers) that runs in milliseconds.</summary>
    private static readonly MeloConfig Small = MeloConfig.ReleasedEnglish with
    {
        InterChannels = 8, HiddenChannels = 16, FilterChannels = 24, GinChannels = 8, NSpeakers = 3,
        Speakers = new Dictionary<string, int>(), UpsampleInitialChannel = 32, UpsampleRates = [2, 2, 2, 2, 2],
        UpsampleKernelSizes = [4, 4, 2, 2, 2], HopLength = 32, FilterLength = 64, WinLength = 64,
    };

    [Fact]
    public void TheReleasedShapeBuildsAndItsTextParsesBack()
    {
        var model = MeloSynthesizer.Random(MeloConfig.ReleasedEnglish, seed: 1);
        var g = model.BuildGraph(24, 64, MeloSynthesisOptions.Default, new MeloNoise.Seeded(7));

        Verifier.VerifyOrThrow(g);
        Assert.Equal(["phonemes", "tones", "languages", "bert", "ja_bert", "sid", "tokens"], g.Inputs.Select(i => i.Name));
        Assert.Equal(MeloSynthesizer.OutputNames, g.Outputs.Select(o => o.Name));
        Assert.Equal("f32[1,1,32768]", g.Outputs[6].Type.ToString());
        Assert.Equal("f32[1,192,64]", g.Outputs[5].Type.ToString());
        Assert.Equal("f32[1,1,64,24]", g.Outputs[1].Type.ToString());
        var text = Printer.Print(g);
        var parsed = Parser.Parse(text);
        Assert.Equal(text, Printer.Print(parsed));
        long parameters = g.Weights.Sum(w => Tensor.Count(w.DeclaredType.Shape.ToArray()));
        output.WriteLine($"released shape: {g.Nodes.Length} values, {g.Weights.Count()} weights, {parameters:N0} parameters, {text.Length:N0} characters of text");
    }

    [Fact]
    public void TheReleasedShapeUsesExactlyTheStateDictKeysInferenceNeeds()
    {
        // Every key of the spec's full MeloTTS state dict outside enc_q.*, sdp.post_* and sdp.flows.1.* (weight norm folded)
        // is a weight of the graph with the same shape, and the graph has no other weights.
        var tsv = Golden.Root is null ? null : Path.Combine(Golden.Root, "..", "spec", "state-dicts", "melotts.tsv");
        if (tsv is null || !File.Exists(tsv)) { output.WriteLine("skipped: spec/state-dicts/melotts.tsv not found"); return; }
        var expected = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in File.ReadLines(tsv).Skip(1))
        {
            var f = line.Split('\t');
            var key = f[0];
            if (MeloSynthesizer.UnusedPrefixes.Any(p => key.StartsWith(p, StringComparison.Ordinal)) || key.EndsWith(".weight_g", StringComparison.Ordinal)) continue;
            if (key.EndsWith(".weight_v", StringComparison.Ordinal)) key = key[..^2];
            expected[key] = f[1].Replace(" ", "");
        }

        var g = MeloSynthesizer.Random(MeloConfig.ReleasedEnglish, seed: 1).BuildGraph(8, 16, MeloSynthesisOptions.Default, new MeloNoise.Seeded(0));
        var actual = g.Weights.ToDictionary(w => w.Key, w => w.DeclaredType.Shape.ToString(), StringComparer.Ordinal);

        Assert.Equal(expected.Keys.Order(StringComparer.Ordinal), actual.Keys.Order(StringComparer.Ordinal));
        foreach (var (k, shape) in expected) Assert.True(shape == actual[k], $"{k}: spec {shape}, graph {actual[k]}");
        output.WriteLine($"{actual.Count} weights, {g.Weights.Sum(w => Tensor.Count(w.DeclaredType.Shape.ToArray())):N0} parameters at inference (weight norm folded)");
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void AFrameDoesNotDependOnTheBucket(bool transformerFlow)
    {
        // Seeded noise is drawn frame by frame and padded frames are masked, so two buckets give the same utterance.
        var model = MeloSynthesizer.Random(Small with { UseTransformerFlow = transformerFlow }, seed: 3);
        var input = MeloInput.WithoutBert(MeloText.Default.Encode("hh ah l ow", "0 2 0 1", "EN"), speakerId: 2);
        var pipeline = new MeloPipeline(model);

        var a = pipeline.Synthesize(input, MeloSynthesisOptions.Default, new MeloNoise.Seeded(11), frames: 64);
        var b = pipeline.Synthesize(input, MeloSynthesisOptions.Default, new MeloNoise.Seeded(11), frames: 160);

        Assert.Equal((64, 160), (a.Bucket, b.Bucket));
        Assert.Equal(a.Frames, b.Frames);
        Assert.Equal(a.Frames * 32, a.Audio.Length);
        Assert.Equal(a.Durations.Data, b.Durations.Data);
        Assert.Equal(a.Attn.Data, b.Attn.Data);
        Assert.Equal(a.ZP.Data, b.ZP.Data);
        Assert.Equal(a.Z.Data, b.Z.Data);
        Assert.Equal(a.Audio, b.Audio);
        Assert.All(a.Audio, v => Assert.True(float.IsFinite(v) && Math.Abs(v) <= 1));
    }

    [Fact]
    public void AnOverflowingBucketIsRunAgainLarger()
    {
        var model = MeloSynthesizer.Random(Small with { UseTransformerFlow = false }, seed: 3);
        var input = MeloInput.WithoutBert(MeloText.Default.Encode("hh ah l ow w er l d", "0 2 0 1 0 3 0 0", "EN"), speakerId: 0);
        var options = MeloSynthesisOptions.Default with { LengthScale = 1.5 };
        var pipeline = new MeloPipeline(model);

        var fitted = pipeline.Synthesize(input, options, new MeloNoise.Seeded(5), frames: 512);
        var small = pipeline.Synthesize(input, options, new MeloNoise.Seeded(5), frames: 2);

        Assert.True(fitted.Frames > 2);
        Assert.Equal(MeloSynthesizer.RoundUpFrames(fitted.Frames), small.Bucket);
        Assert.Equal(fitted.Durations.Data, small.Durations.Data);
        Assert.Equal(fitted.Audio, small.Audio);
    }

    [Fact]
    public void BucketsAreMultiplesOf32ThatGrowWithTheText()
    {
        Assert.Equal(32, MeloSynthesizer.RoundUpFrames(1));
        Assert.Equal(64, MeloSynthesizer.RoundUpFrames(33));
        Assert.True(MeloSynthesizer.SuggestFrames(100, 1.0) >= 300);
        Assert.True(MeloSynthesizer.SuggestFrames(100, 2.0) > MeloSynthesizer.SuggestFrames(100, 1.0));
        Assert.Equal(0, MeloSynthesizer.SuggestFrames(7, 1.0) % 32);
    }

    [Fact]
    public void InputsAreCheckedBeforeARun()
    {
        var pipeline = new MeloPipeline(MeloSynthesizer.Random(Small, seed: 1));
        var ok = MeloInput.WithoutBert(MeloText.Default.Encode("hh ah", "0 1", "EN"), speakerId: 0);
        string Refusal(MeloInput i) => Assert.Throws<VoxTileException>(() => pipeline.Synthesize(i, MeloSynthesisOptions.Default, new MeloNoise.Seeded(0))).Message;

        Assert.Contains("speaker id 3 is outside the model's 3 speakers", Refusal(ok with { SpeakerId = 3 }));
        Assert.Contains("phoneme id 219", Refusal(ok with { Phonemes = [0, 219, 0, 1, 0] }));
        Assert.Contains("5 phonemes but 4 tones", Refusal(ok with { Tones = [0, 0, 0, 0] }));
        Assert.Contains("bert has shape [1,1024,4]", Refusal(ok with { Bert = Tensor.Zeros(1, 1024, 4) }));
        var replay = new MeloNoise.Replay(Tensor.Zeros(1, 2, 4), Tensor.Zeros(1, 8, 10));
        Assert.Contains("duration noise has shape [1,2,4]", Assert.Throws<VoxTileException>(() => pipeline.Synthesize(ok, MeloSynthesisOptions.Default, replay)).Message);
    }

    [GoldenFact("tts-tiny")]
    public void RecordedPriorNoiseMustCoverTheUtterance()
    {
        var model = MeloSynthesizer.Load(Golden.Case("tts-tiny")!);
        var noise0 = Golden.Load("tts-tiny", "noise_0");
        var input = new MeloInput([.. Golden.Load("tts-tiny", "phonemes").Data.Select(v => (int)v)], [.. Golden.Load("tts-tiny", "tones").Data.Select(v => (int)v)],
            [.. Golden.Load("tts-tiny", "languages").Data.Select(v => (int)v)], Golden.Load("tts-tiny", "bert"), Golden.Load("tts-tiny", "ja_bert"), 1);
        var options = new MeloSynthesisOptions { NoiseScale = 0.667 };

        var e = Assert.Throws<VoxTileException>(() => new MeloPipeline(model).Synthesize(input, options, new MeloNoise.Replay(noise0, Tensor.Zeros(1, 16, 20)), frames: 64));

        Assert.Contains("covers 20 frames but the utterance needs 51", e.Message);
    }

    [Fact]
    public void SeededNoiseDrawnAsTensorsEqualsTheInGraphDraw()
    {
        // Backends are fed noise as tensors (MeloNoise.Draw); the seeded graph draws it with nn.randn_like.
        var model = MeloSynthesizer.Random(Small, seed: 4);
        var input = MeloInput.WithoutBert(MeloText.Default.Encode("hh ah l ow", "0 2 0 1", "EN"), speakerId: 1);
        var spec = new MeloGraphSpec(input.Length, 64, MeloSynthesisOptions.Default);
        var seeded = model.BuildGraph(spec, new MeloNoise.Seeded(9));
        var drawn = new MeloNoise.Seeded(9).Draw(input.Length, 64, Small.InterChannels);
        var replayed = model.BuildGraph(spec, drawn);
        Tensor[] Feeds(Graph g) => [.. g.Inputs.Select(i => i.Name switch
        {
            "phonemes" => new Tensor([1, input.Length], [.. input.Phonemes.Select(v => (float)v)]),
            "tones" => new Tensor([1, input.Length], [.. input.Tones.Select(v => (float)v)]),
            "languages" => new Tensor([1, input.Length], [.. input.Languages.Select(v => (float)v)]),
            "bert" => input.Bert,
            "ja_bert" => input.JaBert,
            "sid" => new Tensor([1], [1f]),
            "tokens" => new Tensor([1], [(float)input.Length]),
            "noise_0" => drawn.Durations,
            "noise_1" => drawn.Prior,
            _ => throw new InvalidOperationException(i.Name),
        })];

        var a = IR.Interp.Interpreter.Run(seeded, Feeds(seeded));
        var b = IR.Interp.Interpreter.Run(replayed, Feeds(replayed));

        for (int k = 0; k < a.Length; k++) Assert.Equal(a[k].Data, b[k].Data);
    }

    [Fact]
    public void ForcedDurationsReproduceThePredictedRun()
    {
        var model = MeloSynthesizer.Random(Small, seed: 6);
        var input = MeloInput.WithoutBert(MeloText.Default.Encode("hh ah l ow w er l d", "0 2 0 1 0 3 0 0", "EN"), speakerId: 0);
        var pipeline = new MeloPipeline(model);
        var predicted = pipeline.Synthesize(input, MeloSynthesisOptions.Default, new MeloNoise.Seeded(3));

        var forced = pipeline.Synthesize(input, MeloSynthesisOptions.Default, new MeloNoise.Seeded(3), predicted.Bucket, predicted.Durations);

        Assert.Equal(predicted.Durations.Data, forced.Durations.Data);
        Assert.Equal(predicted.Attn.Data, forced.Attn.Data);
        Assert.Equal(predicted.Z.Data, forced.Z.Data);
        Assert.Equal(predicted.Audio, forced.Audio);
        var bad = Assert.Throws<VoxTileException>(() => pipeline.Synthesize(input, MeloSynthesisOptions.Default, new MeloNoise.Seeded(3),
            durations: new Tensor([input.Length], [.. Enumerable.Repeat(1.5f, input.Length)])));
        Assert.Equal("a forced duration of 1.5 is not a whole number of frames", bad.Message);
    }

    [Fact]
    public void ResamplingInsideTheGraphEqualsTheHostResampler()
    {
        // Small keeps the released 44.1 kHz; clone wants the converter's 22.05 kHz from the same run.
        var model = MeloSynthesizer.Random(Small, seed: 8);
        var input = MeloInput.WithoutBert(MeloText.Default.Encode("hh ah l ow w er l d", "0 2 0 1 0 3 0 0", "EN"), speakerId: 2);
        var pipeline = new MeloPipeline(model) { OutputRate = 22050 };

        var r = pipeline.Synthesize(input, MeloSynthesisOptions.Default, new MeloNoise.Seeded(1), frames: 128);

        Assert.Equal(44100, r.SampleRate);
        Assert.Equal(22050, r.ResampledRate);
        var host = Models.Audio.Resampler.Resample(r.Audio, 44100, 22050);
        Assert.Equal(host.Length, r.Resampled!.Length);
        for (int i = 0; i < host.Length; i++) Assert.True(Math.Abs(host[i] - r.Resampled[i]) <= 1e-5, $"sample {i}: {r.Resampled[i]} vs {host[i]}");
        Assert.Equal(new MeloPipeline(model).Synthesize(input, MeloSynthesisOptions.Default, new MeloNoise.Seeded(1), frames: 128).Audio, r.Audio);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void PaddedTokensChangeNothing(bool transformerFlow)
    {
        // A token bucket pads the utterance with masked positions: the text encoder's attention, its convs, both
        // duration predictors and the path must ignore them, as the reference ignores a batch's padding.
        var model = MeloSynthesizer.Random(Small with { UseTransformerFlow = transformerFlow }, seed: 5);
        var input = MeloInput.WithoutBert(MeloText.Default.Encode("hh ah l ow w er l d", "0 2 0 1 0 3 0 0", "EN"), speakerId: 1);
        var exact = new MeloPipeline(model) { TokenStep = 1 }.Synthesize(input, MeloSynthesisOptions.Default, new MeloNoise.Seeded(2), frames: 96);
        var padded = new MeloPipeline(model) { TokenStep = 32 }.Synthesize(input, MeloSynthesisOptions.Default, new MeloNoise.Seeded(2), frames: 96);

        Assert.Equal(17, input.Length);
        Assert.Equal(exact.Durations.Data, padded.Durations.Data);
        Assert.Equal(exact.Attn.Data, padded.Attn.Data);
        var (pcc, err) = Compare.AssertClose(new Tensor([padded.Audio.Length], padded.Audio), new Tensor([exact.Audio.Length], exact.Audio), "padded tokens");
        output.WriteLine($"17 tokens alone vs in a bucket of 32: durations and path equal, audio PCC {pcc:F9}, max abs diff {err:E2}");
    }
}
