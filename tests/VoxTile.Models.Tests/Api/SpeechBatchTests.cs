using VoxTile.Models.Api;
using VoxTile.Models.Config;
using VoxTile.Models.MeloTTS;
using VoxTile.Runtime.Execution;
using Xunit.Abstractions;

namespace VoxTile.Models.Tests.Api;

/// <summary>
/// SpeechSynthesizer's batches on a small random MeloTTS (reference interpreter): one clip per utterance, in order,
/// each the clip its own call gives (bit for bit when the batch's buckets are the ones the call picks).
/// </summary>
public sealed class SpeechBatchTests(ITestOutputHelper output) : IDisposable
{
    private static readonly MeloConfig Small = MeloConfig.ReleasedEnglish with
    {
        InterChannels = 8, HiddenChannels = 16, FilterChannels = 24, GinChannels = 8, NSpeakers = 3,
        Speakers = new Dictionary<string, int> { ["EN-US"] = 1 }, UpsampleInitialChannel = 32, UpsampleRates = [2, 2, 2, 2, 2],
        UpsampleKernelSizes = [4, 4, 2, 2, 2], HopLength = 32, FilterLength = 64, WinLength = 64,
    };

    private readonly string _lexicon = WriteLexicon();

    private static string WriteLexicon()
    {
        var path = Path.Combine(Path.GetTempPath(), $"voxtile-lexicon-{Guid.NewGuid():N}.rep");
        File.WriteAllLines(path, ["HELLO  HH AH0 - L OW1", "WORLD  W ER1 L D"]);
        return path;
    }

    public void Dispose() => File.Delete(_lexicon);

    private static SpeechSynthesizer Create(int maxBatch)
    {
        var tts = SpeechSynthesizer.Create(MeloSynthesizer.Random(Small, seed: 1), new PipelineOptions { Backend = BackendKind.Reference });
        tts.MaxBatch = maxBatch;
        return tts;
    }

    [Fact]
    public void EachClipIsItsOwnCall()
    {
        // 15, 9 and 13 tokens with blanks: one token bucket (16) and one suggested frame bucket (96) for all three.
        (string, string)[] utterances = [("_ hh ah l ow d _", "0 0 1 0 2 0 0"), ("_ hh ah _", "0 0 1 0"), ("_ w er l d _", "0 0 2 0 0 0")];
        var settings = new SpeechSettings { Speaker = "EN-US", Seed = 7 };
        using var tts = Create(maxBatch: 2);

        var clips = tts.SynthesizeBatch(utterances, settings);

        Assert.Equal(utterances.Length, clips.Count);
        for (int i = 0; i < utterances.Length; i++)
        {
            var single = tts.Synthesize(utterances[i].Item1, utterances[i].Item2, settings);
            Assert.Equal(single.SampleRate, clips[i].SampleRate);
            Assert.Equal(single.Samples, clips[i].Samples);
        }
    }

    [Fact]
    public void TextsComeBackOneClipEachWithTheirGaps()
    {
        string[] texts = ["Hello, world!", "World. Hello world, hello.", "Hello."];
        var settings = new SpeechSettings { Lexicon = _lexicon, Speaker = "EN-US", Seed = 3 };
        using var tts = Create(maxBatch: 8);

        var clips = tts.SynthesizeBatch(texts, settings);

        Assert.Equal(texts.Length, clips.Count);
        for (int i = 0; i < texts.Length; i++)
        {
            // Pieces run at the buckets of their batch's longest, so a clip follows its own call up to the bucket's rounding.
            var single = tts.Synthesize(texts[i], settings);
            Assert.Equal(single.Samples.Length, clips[i].Samples.Length);
            double pcc = ReferenceCheck.Pcc(clips[i].Samples, single.Samples);
            output.WriteLine($"\"{texts[i]}\": {single.Samples.Length} samples, PCC {pcc:F9} with its own call");
            Assert.True(pcc >= 0.9999, $"\"{texts[i]}\": PCC {pcc:F9}");
        }
    }

    [Fact]
    public void ABatchSizeBelowOneIsRefused()
    {
        using var tts = Create(maxBatch: 0);
        Assert.Equal("the batch size must be positive (got 0)",
            Assert.Throws<IR.VoxTileException>(() => tts.SynthesizeBatch([("_ hh ah _", "0 0 1 0")], new SpeechSettings { Speaker = "EN-US" })).Message);
    }
}
