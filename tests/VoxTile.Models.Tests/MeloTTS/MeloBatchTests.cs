using VoxTile.IR;
using VoxTile.IR.Interp;
using VoxTile.Models.Config;
using VoxTile.Models.MeloTTS;
using Xunit.Abstractions;

namespace VoxTile.Models.Tests.MeloTTS;

/// <summary>
/// A batch graph on the reference interpreter: each item of a batch of three (different token counts, all shorter than
/// the token bucket, different speakers and seeds) is bit for bit its batch-1 run at the same token and frame buckets.
/// </summary>
public sealed class MeloBatchTests(ITestOutputHelper output)
{
    internal static readonly MeloConfig Small = MeloConfig.ReleasedEnglish with
    {
        InterChannels = 8, HiddenChannels = 16, FilterChannels = 24, GinChannels = 8, NSpeakers = 3,
        Speakers = new Dictionary<string, int>(), UpsampleInitialChannel = 32, UpsampleRates = [2, 2, 2, 2, 2],
        UpsampleKernelSizes = [4, 4, 2, 2, 2], HopLength = 32, FilterLength = 64, WinLength = 64,
    };

    /// <summary>Three utterances of 9, 7 and 15 tokens (blanks included): one token bucket of 16 holds them all.</summary>
    internal static IReadOnlyList<MeloInput> Items() =>
    [
        MeloInput.WithoutBert(MeloText.Default.Encode("hh ah l ow", "0 2 0 1", "EN"), speakerId: 2),
        MeloInput.WithoutBert(MeloText.Default.Encode("w er l", "0 3 0", "EN"), speakerId: 0),
        MeloInput.WithoutBert(MeloText.Default.Encode("hh ah l ow w er l", "0 2 0 1 0 3 0", "EN"), speakerId: 1),
    ];

    internal static readonly MeloNoise Seeds = new MeloNoise.PerItem([new MeloNoise.Seeded(4), new MeloNoise.Seeded(9), new MeloNoise.Seeded(4)]);

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void EachItemIsItsSingleRun(bool transformerFlow)
    {
        var model = MeloSynthesizer.Random(Small with { UseTransformerFlow = transformerFlow }, seed: 5);
        var items = Items();
        var pipeline = new MeloPipeline(model);

        var batch = pipeline.SynthesizeBatch(items, MeloSynthesisOptions.Default, Seeds, frames: 96);

        Assert.Equal(items.Count, batch.Count);
        for (int b = 0; b < items.Count; b++)
        {
            var single = pipeline.Synthesize(items[b], MeloSynthesisOptions.Default, Seeds.Item(b), frames: 96);
            AssertSame(single, batch[b], $"item {b}");
            output.WriteLine($"item {b}: {items[b].Length} tokens in 16, {single.Frames} frames in {single.Bucket}: batch equals its single run");
        }
        // Different seeds and speakers give different speech: the items do not share one draw.
        Assert.NotEqual(batch[0].Audio, batch[2].Audio.AsSpan(0, Math.Min(batch[0].Audio.Length, batch[2].Audio.Length)).ToArray());
    }

    [Fact]
    public void ForcedDurationsBatchPerItem()
    {
        var model = MeloSynthesizer.Random(Small, seed: 6);
        var items = Items();
        var pipeline = new MeloPipeline(model);
        var predicted = pipeline.SynthesizeBatch(items, MeloSynthesisOptions.Default, Seeds, frames: 96);

        var forced = pipeline.SynthesizeBatch(items, MeloSynthesisOptions.Default, Seeds, frames: 96, durations: [.. predicted.Select(r => r.Durations)]);

        for (int b = 0; b < items.Count; b++) AssertSame(predicted[b], forced[b], $"item {b}");
    }

    [Fact]
    public void TheBucketHoldsTheLongestItem()
    {
        // One frame bucket for the batch: an item that overflows the given bucket reruns the batch at one that holds it.
        var model = MeloSynthesizer.Random(Small with { UseTransformerFlow = false }, seed: 3);
        var items = Items();
        var options = MeloSynthesisOptions.Default with { LengthScale = 1.5 };
        var pipeline = new MeloPipeline(model);

        var small = pipeline.SynthesizeBatch(items, options, Seeds, frames: 2);

        int longest = small.Max(r => r.Frames);
        Assert.All(small, r => Assert.Equal(MeloSynthesizer.RoundUpFrames(longest), r.Bucket));
        for (int b = 0; b < items.Count; b++)
            AssertSame(pipeline.Synthesize(items[b], options, Seeds.Item(b), frames: small[b].Bucket), small[b], $"item {b}");
    }

    [Fact]
    public void SeededBatchGraphDrawsEachItemsOwnNoise()
    {
        // The in-graph draws of a batch (one nn.randn_like per item seed) are the per-item draws a backend is fed.
        var model = MeloSynthesizer.Random(Small, seed: 4);
        var items = Items();
        const int tx = 16, frames = 64;
        var spec = new MeloGraphSpec(tx, frames, MeloSynthesisOptions.Default, Batch: items.Count);
        var seeded = model.BuildGraph(spec, Seeds);
        var draws = Enumerable.Range(0, items.Count).Select(b => Seeds.Item(b).Draw(tx, frames, Small.InterChannels)).ToArray();
        var replay = new MeloNoise.Replay(Stack([.. draws.Select(d => d.Durations)]), Stack([.. draws.Select(d => d.Prior)]));
        var replayed = model.BuildGraph(spec, replay);
        Tensor Ids(Func<MeloInput, IReadOnlyList<int>> f) => Stack([.. items.Select(i => new Tensor([1, tx], [.. f(i).Select(v => (float)v), .. new float[tx - f(i).Count]]))]);
        Tensor[] Feeds(Graph g) => [.. g.Inputs.Select(i => i.Name switch
        {
            "phonemes" => Ids(i => i.Phonemes),
            "tones" => Ids(i => i.Tones),
            "languages" => Ids(i => i.Languages),
            "bert" => Tensor.Zeros(items.Count, MeloInput.BertChannels, tx),
            "ja_bert" => Tensor.Zeros(items.Count, MeloInput.JaBertChannels, tx),
            "sid" => new Tensor([items.Count], [.. items.Select(x => (float)x.SpeakerId)]),
            "tokens" => new Tensor([items.Count], [.. items.Select(x => (float)x.Length)]),
            "noise_0" => replay.Durations,
            "noise_1" => replay.Prior,
            _ => throw new InvalidOperationException(i.Name),
        })];

        var a = Interpreter.Run(seeded, Feeds(seeded));
        var r = Interpreter.Run(replayed, Feeds(replayed));

        Assert.Equal(["phonemes", "tones", "languages", "bert", "ja_bert", "sid", "tokens"], seeded.Inputs.Select(i => i.Name));
        Assert.Equal($"f32[3,1,{32 * frames}]", seeded.Outputs[6].Type.ToString());
        for (int k = 0; k < a.Length; k++) Assert.Equal(r[k].Data, a[k].Data);
    }

    [Fact]
    public void ABatchOfOneIsTheSingleGraph()
    {
        var model = MeloSynthesizer.Random(Small, seed: 2);
        var single = model.BuildGraph(new MeloGraphSpec(12, 32, MeloSynthesisOptions.Default), new MeloNoise.Seeded(1));
        var one = model.BuildGraph(new MeloGraphSpec(12, 32, MeloSynthesisOptions.Default, Batch: 1), new MeloNoise.PerItem([new MeloNoise.Seeded(1)]));
        Assert.Equal(IR.Text.Printer.Print(single), IR.Text.Printer.Print(one));
        Assert.NotEqual(new MeloGraphSpec(12, 32, MeloSynthesisOptions.Default), new MeloGraphSpec(12, 32, MeloSynthesisOptions.Default, Batch: 2));
    }

    [Fact]
    public void BadBatchesAreRefused()
    {
        var pipeline = new MeloPipeline(MeloSynthesizer.Random(Small, seed: 1));
        var items = Items();
        string Refusal(Action a) => Assert.Throws<VoxTileException>(a).Message;

        Assert.Equal("the batch holds no utterance", Refusal(() => pipeline.SynthesizeBatch([], MeloSynthesisOptions.Default, new MeloNoise.Seeded(0))));
        Assert.Equal("2 noise sources for a batch of 3", Refusal(() => pipeline.SynthesizeBatch(items, MeloSynthesisOptions.Default,
            new MeloNoise.PerItem([new MeloNoise.Seeded(0), new MeloNoise.Seeded(1)]))));
        Assert.Equal("1 forced durations for a batch of 3", Refusal(() => pipeline.SynthesizeBatch(items, MeloSynthesisOptions.Default,
            new MeloNoise.Seeded(0), durations: [Tensor.Zeros(items[0].Length)])));
    }

    internal static void AssertSame(MeloResult expected, MeloResult actual, string what)
    {
        Assert.True(expected.Frames == actual.Frames, $"{what}: {actual.Frames} frames, its single run {expected.Frames}");
        Assert.Equal(expected.Bucket, actual.Bucket);
        Assert.Equal(expected.Durations.Data, actual.Durations.Data);
        Assert.Equal(expected.Attn.Data, actual.Attn.Data);
        Assert.Equal(expected.MP.Data, actual.MP.Data);
        Assert.Equal(expected.LogsP.Data, actual.LogsP.Data);
        Assert.Equal(expected.ZP.Data, actual.ZP.Data);
        Assert.Equal(expected.Z.Data, actual.Z.Data);
        Assert.Equal(expected.Audio, actual.Audio);
    }

    internal static Tensor Stack(Tensor[] items)
    {
        var y = new Tensor([items.Length, .. items[0].Shape[1..]]);
        for (int b = 0; b < items.Length; b++) Array.Copy(items[b].Data, 0, y.Data, b * items[0].Length, items[0].Length);
        return y;
    }
}
