using VoxTile.IR.IO;
using VoxTile.Models.MeloTTS.Text;

namespace VoxTile.Cli.Tests;

/// <summary><c>voxtile tts --text</c>: the text path speaks what the phoneme path speaks for the same phones, and bad text is one line.</summary>
public sealed class TextTests : IDisposable
{
    private readonly TempFolder _tmp = new();
    private readonly string? _previous = Environment.GetEnvironmentVariable(CmuLexicon.EnvironmentVariable);

    public TextTests()
    {
        File.WriteAllLines(_tmp.File("lexicon.rep"), ["HELLO  HH AH0 - L OW1", "WORLD  W ER1 L D"]);
        Environment.SetEnvironmentVariable(CmuLexicon.EnvironmentVariable, _tmp.File("lexicon.rep"));
    }

    public void Dispose()
    {
        Environment.SetEnvironmentVariable(CmuLexicon.EnvironmentVariable, _previous);
        _tmp.Dispose();
    }

    [Fact]
    public void TtsTextEqualsThePhonemePathThenTheGap()
    {
        var (code, output, err) = CliRun.Run("tts", "--demo", "--backend", "reference", "--seed", "4", "--text", "Hello world.", "-o", _tmp.File("text.npy"));
        Assert.True(code == 0, err);
        Assert.Contains("BERT features are zeros", err);
        Assert.Contains("1 piece, 23 tokens", err);
        (code, _, err) = CliRun.Run("tts", "--demo", "--backend", "reference", "--seed", "4", "--phonemes", "_ hh ah l ow w er l d . _",
            "--tones", "0 0 1 0 2 0 2 0 0 0 0", "-o", _tmp.File("phonemes.npy"));
        Assert.True(code == 0, err);
        var text = Npy.Read(_tmp.File("text.npy")).Data;
        var phonemes = Npy.Read(_tmp.File("phonemes.npy")).Data;
        Assert.Equal(phonemes.Length + TextUtterances.GapSamples(44100, 1.0), text.Length);
        Assert.Equal(phonemes, text.Take(phonemes.Length));
        Assert.All(text.Skip(phonemes.Length), s => Assert.Equal(0f, s));
    }

    [Theory]
    [InlineData("--text| ", "the text is empty")]
    [InlineData("--text|... ; %", "no word to pronounce")]
    [InlineData("--text|hola|--language|ES", "supported: EN")]
    [InlineData("--text|hello|--phonemes|_ hh _", "not both")]
    [InlineData("--text|hello|--tones|0 0", "--tones goes with --phonemes")]
    public void BadTextIsOneLine(string args, string fragment)
    {
        var (code, _, err) = CliRun.Run(["tts", "--demo", "--backend", "reference", .. args.Split('|'), "-o", _tmp.File("bad.wav")]);
        CliRun.AssertOneLineError(code, err, fragment);
        Assert.False(File.Exists(_tmp.File("bad.wav")));
    }

    [Fact]
    public void AMissingLexiconIsOneLine()
    {
        Environment.SetEnvironmentVariable(CmuLexicon.EnvironmentVariable, _tmp.File("absent.rep"));
        var (code, _, err) = CliRun.Run("tts", "--demo", "--backend", "reference", "--text", "hello", "-o", _tmp.File("bad.wav"));
        CliRun.AssertOneLineError(code, err, "absent.rep");
    }
}
