using VoxTile.IR;
using VoxTile.Models.Api;
using VoxTile.Models.Config;
using VoxTile.Models.MeloTTS;
using VoxTile.Models.MeloTTS.Text;
using VoxTile.Models.OpenVoice;
using VoxTile.Testing;

namespace VoxTile.Models.Tests.Api;

/// <summary>Text through the public API on a small random MeloTTS with the released vocabulary, on the reference interpreter.</summary>
public sealed class TextInputTests : IDisposable
{
    private static readonly MeloConfig Small = MeloConfig.ReleasedEnglish with
    {
        InterChannels = 8, HiddenChannels = 16, FilterChannels = 24, GinChannels = 8, NSpeakers = 3,
        Speakers = new Dictionary<string, int> { ["EN-US"] = 1 }, UpsampleInitialChannel = 32, UpsampleRates = [2, 2, 2, 2, 2],
        UpsampleKernelSizes = [4, 4, 2, 2, 2], HopLength = 32, FilterLength = 64, WinLength = 64,
    };

    private readonly string _lexicon = Path.Combine(Path.GetTempPath(), $"voxtile-lexicon-{Guid.NewGuid():N}.rep");

    public TextInputTests() => File.WriteAllLines(_lexicon, ["HELLO  HH AH0 - L OW1", "WORLD  W ER1 L D"]);

    public void Dispose() => File.Delete(_lexicon);

    private SpeechSettings Settings => new() { Lexicon = _lexicon, Speaker = "EN-US", Seed = 3 };

    private static SpeechSynthesizer Create() =>
        SpeechSynthesizer.Create(MeloSynthesizer.Random(Small, seed: 1), new PipelineOptions { Backend = BackendKind.Reference });

    [Fact]
    public void TextSpeaksThePhonesThePhonemePathSpeaksThenTheGap()
    {
        using var tts = Create();
        var fromText = tts.Synthesize("Hello, world!", Settings);
        // The phoneme path reads a comma as a separator, so the comma symbol goes in by id.
        int comma = MeloText.Default.SymbolId(",");
        var fromPhonemes = tts.Synthesize($"_ hh ah l ow {comma} w er l d ! _", "0 0 1 0 2 0 0 2 0 0 0 0", Settings);
        int gap = TextUtterances.GapSamples(tts.SampleRate, 1.0);
        Assert.True(gap > 0);
        Assert.Equal(fromPhonemes.Samples.Length + gap, fromText.Samples.Length);
        Assert.Equal(fromPhonemes.Samples, fromText.Samples.Take(fromPhonemes.Samples.Length));
        Assert.All(fromText.Samples.Skip(fromPhonemes.Samples.Length), s => Assert.Equal(0f, s));
    }

    [Fact]
    public void TheUtterancesCarryTheIdsOfThePhonemePath()
    {
        var front = TextFrontEnds.For("EN", _lexicon);
        var pieces = TextUtterances.Build(Small, front, "Hello world. Hello world!", speakerId: 1);
        var expected = MeloText.For(Small).Encode("_ hh ah l ow w er l d . hh ah l ow w er l d ! _", "0 0 1 0 2 0 2 0 0 0 0 1 0 2 0 2 0 0 0 0", "EN");
        var only = Assert.Single(pieces);
        Assert.Equal(expected.Phones, only.Input.Phonemes);
        Assert.Equal(expected.Tones, only.Input.Tones);
        Assert.Equal(expected.Languages, only.Input.Languages);
        Assert.Equal(1, only.Input.SpeakerId);
        Assert.Equal(only.Input.Length, MeloText.For(Small).WordToPhone(only.Phonemized.WordToPhone).Sum());
    }

    [Fact]
    public void LongTextIsSpokenPieceByPieceWithAGapAfterEach()
    {
        using var tts = Create();
        var sentence = string.Join(' ', Enumerable.Repeat("hello world", 25)) + ".";
        var text = sentence + " " + sentence;
        Assert.Equal(2, SentenceSplitter.SplitLatin(text).Count);
        var whole = tts.Synthesize(text, Settings);
        var one = tts.Synthesize(sentence, Settings);
        Assert.Equal(2 * one.Samples.Length, whole.Samples.Length);
    }

    [GoldenFact("converter-tiny")]
    public void TheClonerSpeaksTextAsOneRecordingWithTheGap()
    {
        var options = new PipelineOptions { Backend = BackendKind.Reference };
        var converter = ToneColorConverter.Load(Golden.Case("converter-tiny")!);
        using var cloner = VoiceCloner.Create(MeloSynthesizer.Random(Small, seed: 1), converter, options);
        var me = new VoiceEmbedding(Tensor.Zeros(1, converter.Config.GinChannels, 1));
        var fromText = cloner.Clone("Hello world!", me, Settings);
        var fromPhonemes = cloner.Clone("_ hh ah l ow w er l d ! _", "0 0 1 0 2 0 2 0 0 0 0", me, Settings);
        int gap = TextUtterances.GapSamples(cloner.SampleRate, 1.0), hop = converter.Config.HopLength;
        Assert.InRange(fromText.Samples.Length - fromPhonemes.Samples.Length, gap - hop, gap + hop);
    }

    [Fact]
    public void TenThousandWordsSplitIntoPiecesOfAtMost512Characters()
    {
        var front = TextFrontEnds.For("EN", _lexicon);
        var text = string.Concat(Enumerable.Repeat("Hello world, hello world. ", 2500));
        var pieces = TextUtterances.Build(Small, front, text, speakerId: 0);
        Assert.All(pieces.SkipLast(1), p => Assert.True(p.Phonemized.Text.Length >= SentenceSplitter.DesiredLength, p.Phonemized.Text));
        Assert.All(pieces, p => Assert.InRange(p.Phonemized.Text.Length, 1, SentenceSplitter.MaxLength));
        Assert.Equal(10_000, pieces.Sum(p => p.Phonemized.Text.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length));
    }

    [Fact]
    public void BadTextIsOneClearLine()
    {
        using var tts = Create();
        Assert.Contains("empty", Assert.Throws<VoxTileException>(() => tts.Synthesize("  ", Settings)).Message);
        Assert.Contains("no word", Assert.Throws<VoxTileException>(() => tts.Synthesize("... %%% ;", Settings)).Message);
        Assert.Contains("supported: EN", Assert.Throws<VoxTileException>(() => tts.Synthesize("hola", Settings with { Language = "ES" })).Message);
        Assert.Contains("does not exist", Assert.Throws<VoxTileException>(() => tts.Synthesize("hello", Settings with { Lexicon = "/no/lexicon.rep" })).Message);
    }
}
