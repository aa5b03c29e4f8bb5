using VoxTile.IR;
using VoxTile.Models.Config;
using VoxTile.Models.MeloTTS;
using VoxTile.Models.MeloTTS.Text;
using VoxTile.Models.OpenVoice;
using VoxTile.Models.Pipelines;
using VoxTile.Testing;

namespace VoxTile.Models.Tests.Pipelines;

/// <summary><see cref="ClonePipeline.CloneEach"/>: what <c>clone -o -</c> streams, one converted piece at a time.</summary>
public sealed class CloneEachTests
{
    private static readonly MeloConfig Small = MeloConfig.ReleasedEnglish with
    {
        InterChannels = 8, HiddenChannels = 16, FilterChannels = 24, GinChannels = 8, NSpeakers = 3,
        Speakers = new Dictionary<string, int> { ["EN-US"] = 1 },
        UpsampleInitialChannel = 32, UpsampleRates = [2, 2, 2, 2, 2], UpsampleKernelSizes = [4, 4, 2, 2, 2],
        HopLength = 32, FilterLength = 64, WinLength = 64,
    };

    private static Tensor Embedding(ToneColorConverter converter, float scale) =>
        new([1, converter.Config.GinChannels, 1], [.. Enumerable.Range(0, converter.Config.GinChannels).Select(i => scale * MathF.Sin(i + 1))]);

    private static IReadOnlyList<TextUtterance> Pieces()
    {
        var lexicon = CmuLexicon.Empty();
        lexicon.Add(["HELLO  HH AH0 - L OW1", "WORLD  W ER1 L D"]);
        var sentence = string.Join(' ', Enumerable.Repeat("hello world", 25)) + ".";
        var pieces = TextUtterances.Build(Small, new EnglishFrontEnd(lexicon), sentence + " hello.", speakerId: 0);
        Assert.Equal(2, pieces.Count);
        return pieces;
    }

    [GoldenFact("converter-tiny")]
    public void EachPieceIsConvertedWhenItIsSynthesizedWithTheFirstPiecesEmbedding()
    {
        var converter = ToneColorConverter.Load(Golden.Case("converter-tiny")!);
        var clone = new ClonePipeline(MeloSynthesizer.Random(Small, seed: 1), converter);
        var pieces = Pieces();
        int read = 0;
        IEnumerable<MeloInput> Counted() { foreach (var p in TextUtterances.Inputs(pieces)) { read++; yield return p; } }
        var target = Embedding(converter, 0.5f);
        int gap = TextUtterances.GapSamples(converter.SampleRate, 1.0), hop = converter.Config.HopLength;
        var style = new MeloSynthesisOptions();

        var results = new List<CloneResult>();
        foreach (var r in clone.CloneEach(Counted(), gap, style, new MeloNoise.Seeded(3), target))
        {
            Assert.Equal(results.Count + 1, read); // the next piece is not read before this one is out
            results.Add(r);
        }

        Assert.Equal(2, results.Count);
        var firstSpeech = results[0].Speech.Resampled!;
        var expectedSource = clone.Converting.ExtractEmbedding([[.. firstSpeech, .. new float[gap]]]);
        Compare.AssertClose(expectedSource, results[0].SourceEmbedding, "the source embedding of the first piece");
        Assert.All(results, r => Assert.Same(results[0].SourceEmbedding, r.SourceEmbedding));
        Assert.All(results, r => Assert.InRange(r.Audio.Length, r.Speech.Resampled!.Length + gap - hop, r.Speech.Resampled!.Length + gap + hop));
        Assert.All(results, r => Assert.Equal(converter.SampleRate, r.SampleRate));
    }

    [GoldenFact("converter-tiny")]
    public void AGivenSourceEmbeddingIsUsedForEveryPiece()
    {
        var converter = ToneColorConverter.Load(Golden.Case("converter-tiny")!);
        var clone = new ClonePipeline(MeloSynthesizer.Random(Small, seed: 1), converter);
        var source = Embedding(converter, -0.25f);
        var target = Embedding(converter, 0.5f);
        var results = clone.CloneEach(TextUtterances.Inputs(Pieces()), 100, new MeloSynthesisOptions(), new MeloNoise.Seeded(3), target, source).ToList();
        Assert.All(results, r => Assert.Same(source, r.SourceEmbedding));
    }

    /// <summary>A long text holds ids, not model inputs: its pieces' zero BERT features (1792 floats a token) are built when read.</summary>
    [Fact]
    public void TenThousandWordsAreBuiltWithoutTheirFeatures()
    {
        var lexicon = CmuLexicon.Empty();
        lexicon.Add(["HELLO  HH AH0 - L OW1", "WORLD  W ER1 L D"]);
        var text = string.Concat(Enumerable.Repeat("Hello world, hello world. ", 2500));
        long before = GC.GetAllocatedBytesForCurrentThread();
        var pieces = TextUtterances.Build(Small, new EnglishFrontEnd(lexicon), text, speakerId: 0);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        long tokens = pieces.Sum(p => (long)p.Length);
        long features = tokens * (MeloInput.BertChannels + MeloInput.JaBertChannels) * sizeof(float);
        Assert.True(allocated < features / 4, $"building {tokens} tokens allocated {allocated >> 20} MiB; their features are {features >> 20} MiB");

        var inputs = TextUtterances.Inputs(pieces);
        Assert.Equal(pieces.Count, inputs.Count);
        Assert.Equal(pieces[1].Sequence.Phones, inputs[1].Phonemes);
        Assert.Equal([1, MeloInput.JaBertChannels, pieces[1].Length], inputs[1].JaBert.Shape);
        Assert.NotSame(inputs[1].JaBert, inputs[1].JaBert); // built anew on each read, kept by nobody
    }
}
