using System.Text.Json;
using VoxTile.IR.IO;
using VoxTile.Models.MeloTTS;
using VoxTile.Models.MeloTTS.Text;
using VoxTile.Models.MeloTTS.Text.Espeak;

namespace VoxTile.Cli.Tests;

/// <summary>
/// <c>voxtile phonemize</c> prints MeloTTS's <c>clean_text</c> per piece, from the lexicon VoxTile carries; text comes
/// from --text, standard input or --text-file; --lexicon adds and replaces entries; bad text is one line.
/// </summary>
public sealed class PhonemizeTests : IDisposable
{
    private readonly TempFolder _tmp = new();

    public void Dispose() => _tmp.Dispose();

    private sealed record Piece(string Text, string[] Phones, int[] Tones, int[] Word2Ph);

    private static List<Piece> Pieces(string stdout) =>
        [.. stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line =>
        {
            var o = JsonDocument.Parse(line).RootElement;
            Assert.Equal(["text", "phones", "tones", "word2ph"], o.EnumerateObject().Select(p => p.Name));
            return new Piece(o.GetProperty("text").GetString()!,
                [.. o.GetProperty("phones").EnumerateArray().Select(e => e.GetString()!)],
                [.. o.GetProperty("tones").EnumerateArray().Select(e => e.GetInt32())],
                [.. o.GetProperty("word2ph").EnumerateArray().Select(e => e.GetInt32())]);
        })];

    private Piece PhonemizeOne(params string[] args)
    {
        var (code, output, err) = CliRun.Run(["phonemize", .. args]);
        Assert.True(code == 0, err);
        return Assert.Single(Pieces(output));
    }

    [Fact]
    public void HelloWorldIsTheCarriedLexiconsPhonesWithUnderscoresAtBothEnds()
    {
        var p = PhonemizeOne("--text", "Hello world.");
        Assert.Equal("hello world.", p.Text);
        Assert.Equal(["_", "hh", "ah", "l", "ow", "w", "er", "l", "d", ".", "_"], p.Phones);
        Assert.Equal([0, 0, 1, 0, 2, 0, 2, 0, 0, 0, 0], p.Tones);
        Assert.Equal([1, 4, 4, 1, 1], p.Word2Ph);
    }

    /// <summary>Words absent from the lexicon get phones, and stderr names what read them (espeak-ng wherever setup.sh ran, CI included).</summary>
    [Fact]
    public void WordsOutsideTheLexiconAreReadAndTheReaderIsNamed()
    {
        Assert.Null(CmuLexicon.Default().Lookup("zorblax"));
        var (code, output, err) = CliRun.Run("phonemize", "--text", "Zorblax met Xiomara.");
        Assert.True(code == 0, err);
        var p = Assert.Single(Pieces(output));
        Assert.DoesNotContain("UNK", p.Phones);
        Assert.True(p.Word2Ph[1] > 3, string.Join(' ', p.Phones));
        Assert.Equal(p.Phones.Length, p.Word2Ph.Sum());
        bool espeak = EspeakNg.Shared is not null || string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);
        Assert.Contains(espeak ? "words outside the lexicon are read by espeak-ng 1." : "words outside the lexicon are read by VoxTile's spelling rules", err);
    }

    /// <summary>Unicode punctuation, digits, emoji and other scripts: spoken where MeloTTS's vocabulary has them, else no phone.</summary>
    [Fact]
    public void UnicodePunctuationDigitsAndEmojiAreSpokenOrSilent()
    {
        var p = PhonemizeOne("--text", "Hello 👋 — “world”… it’s 42 ½ ٣ 中!");
        Assert.Equal("hello \U0001F44B — world… it's forty-two ½ ٣ 中!", p.Text);
        Assert.Equal(["_", "hh", "ah", "l", "ow", "w", "er", "l", "d"], p.Phones.Take(9));
        Assert.Equal(["!", "_"], p.Phones.TakeLast(2));
        Assert.Equal(p.Phones.Length, p.Word2Ph.Sum());
        Assert.All(p.Phones, ph => Assert.Contains(ph, MeloSymbols.All));
    }

    /// <summary>"and" and "company" are two of the words where MeloTTS's cmudict.rep differs from CMUdict 0.7/npm 3.0.0.</summary>
    [Fact]
    public void TheCarriedLexiconIsMeloTtssOwn()
    {
        var p = PhonemizeOne("--text", "and company");
        Assert.Equal(["_", "ae", "n", "d", "k", "ah", "m", "p", "ah", "n", "iy", "_"], p.Phones);
        Assert.Equal([0, 2, 0, 0, 0, 2, 0, 0, 1, 0, 1, 0], p.Tones);
        Assert.Equal([1, 3, 7, 1], p.Word2Ph);
    }

    /// <summary>The spec's worked normalizations (§2), each the reference's output, as the text of the piece.</summary>
    [Theory]
    [InlineData("Mrs. Smith", "misess smith")]
    [InlineData("Dr. Smith paid $3.50 at 9:05 pm.", "doctor smith paid three dollars fifty cents at nine oh five p m.")]
    [InlineData("The 21st of 1995", "the twenty-first of nineteen ninety-five")]
    [InlineData("£1.01 or ¥300", "one pound sterling one penny or three hundred yen")]
    [InlineData("It costs $1,999.99", "it costs nineteen ninety-nine dollars ninety-nine cents")]
    [InlineData("-4 is 2.5 less", "minus four is two point five less")]
    public void TheTextIsNormalizedAsTheReferenceNormalizesIt(string text, string normalized)
    {
        var p = PhonemizeOne("--text", text);
        Assert.Equal(normalized, p.Text);
        Assert.Equal(p.Phones.Length, p.Tones.Length);
        Assert.Equal(p.Phones.Length, p.Word2Ph.Sum());
        Assert.Equal("_", p.Phones[0]);
        Assert.Equal("_", p.Phones[^1]);
    }

    [Fact]
    public void EachPieceOfALongTextIsOneLine()
    {
        var sentence = string.Join(' ', Enumerable.Repeat("hello world", 25)) + ".";
        var (code, output, err) = CliRun.Run("phonemize", "--text", sentence + " " + sentence);
        Assert.True(code == 0, err);
        var pieces = Pieces(output);
        Assert.Equal(2, pieces.Count);
        Assert.Equal(pieces[0].Phones, pieces[1].Phones);
        Assert.Equal(pieces[0].Tones, pieces[1].Tones);
    }

    [Fact]
    public void StandardInputAndATextFileGiveWhatTextGives()
    {
        const string text = "Don't panic, Mr. Vox!";
        var (_, fromArgument, _) = CliRun.Run("phonemize", "--text", text);
        File.WriteAllText(_tmp.File("text.txt"), text);
        var (code, fromFile, err) = CliRun.Run("phonemize", "--text-file", _tmp.File("text.txt"));
        Assert.True(code == 0, err);
        var oldIn = Console.In;
        Console.SetIn(new StringReader(text));
        string fromStdin;
        try { (code, fromStdin, err) = CliRun.Run("phonemize", "--text", "-"); }
        finally { Console.SetIn(oldIn); }
        Assert.True(code == 0, err);
        Assert.Equal(fromArgument, fromFile);
        Assert.Equal(fromArgument, fromStdin);
        Assert.Contains("\"don't panic, mister vox!\"", fromArgument, StringComparison.Ordinal);
    }

    [Fact]
    public void ALexiconFileAddsAndReplacesEntriesInEitherForm()
    {
        File.WriteAllLines(_tmp.File("mine.rep"), ["## my words", "VOXTILE  V AA1 K S - T AY2 L", "and AH0 N D"]);
        var p = PhonemizeOne("--text", "voxtile and hello", "--lexicon", _tmp.File("mine.rep"));
        Assert.Equal(["_", "V", "aa", "k", "s", "t", "ay", "l", "ah", "n", "d", "hh", "ah", "l", "ow", "_"], p.Phones);
        Assert.Equal([0, 0, 2, 0, 0, 0, 3, 0, 1, 0, 0, 0, 1, 0, 2, 0], p.Tones);
        Assert.Equal([1, 7, 3, 4, 1], p.Word2Ph);
    }

    [Theory]
    [InlineData("--text| ", "the text is empty")]
    [InlineData("--text|... ; %", "no word to pronounce")]
    [InlineData("--text|hola|--language|ES", "(supported: EN)")]
    [InlineData("--text|hello|--lexicon|/no/such/lexicon.rep", "/no/such/lexicon.rep")]
    [InlineData("--text-file|/no/such/text.txt", "/no/such/text.txt")]
    [InlineData("--text|hi|--text-file|/no/such/text.txt", "not both")]
    [InlineData("--language|EN", "give the text")]
    public void BadInputIsOneLine(string args, string fragment)
    {
        var (code, output, err) = CliRun.Run(["phonemize", .. args.Split('|')]);
        CliRun.AssertOneLineError(code, err, fragment);
        Assert.Equal("", output);
    }

    [Fact]
    public void TtsReadsATextFileAsItReadsTextAndALexiconOverlayChangesTheSpeech()
    {
        File.WriteAllText(_tmp.File("text.txt"), "Hello world.");
        string[] common = ["tts", "--demo", "--backend", "reference", "--seed", "4"];
        var (code, _, err) = CliRun.Run([.. common, "--text", "Hello world.", "-o", _tmp.File("a.npy")]);
        Assert.True(code == 0, err);
        (code, _, err) = CliRun.Run([.. common, "--text-file", _tmp.File("text.txt"), "-o", _tmp.File("b.npy")]);
        Assert.True(code == 0, err);
        Assert.Equal(Npy.Read(_tmp.File("a.npy")).Data, Npy.Read(_tmp.File("b.npy")).Data);
        File.WriteAllLines(_tmp.File("mine.txt"), ["WORLD  W ER1 L D Z"]);
        (code, _, err) = CliRun.Run([.. common, "--text-file", _tmp.File("text.txt"), "--lexicon", _tmp.File("mine.txt"), "-o", _tmp.File("c.npy")]);
        Assert.True(code == 0, err);
        Assert.Contains("1 piece, 25 tokens", err);
        Assert.False(Npy.Read(_tmp.File("a.npy")).Data.SequenceEqual(Npy.Read(_tmp.File("c.npy")).Data));
    }

    [Theory]
    [InlineData("tts|--demo|--text|hello|--lexicon|/no/such/lexicon.rep", "/no/such/lexicon.rep")]
    [InlineData("tts|--demo|--text-file|/no/such/text.txt", "/no/such/text.txt")]
    [InlineData("tts|--demo|--phonemes|_ hh _|--tones|0 0 0|--lexicon|/no/such/lexicon.rep", "--lexicon goes with --text")]
    [InlineData("clone|--demo|--text|hola|--language|FR", "(supported: EN)")]
    [InlineData("clone|--demo|--text-file|/no/such/text.txt", "/no/such/text.txt")]
    [InlineData("clone|--demo|--text|  ", "the text is empty")]
    public void TtsAndCloneRefuseBadTextWithOneLineAndNoFile(string args, string fragment)
    {
        var (code, _, err) = CliRun.Run([.. args.Split('|'), "--backend", "reference", "-o", _tmp.File("bad.wav")]);
        CliRun.AssertOneLineError(code, err, fragment);
        Assert.False(File.Exists(_tmp.File("bad.wav")));
    }
}
