using VoxTile.Cli.Usage;

namespace VoxTile.Cli.Tests;

/// <summary>
/// Parser errors read like every other error: one <c>voxtile: error:</c> line naming the option and the form it
/// expects, a "did you mean" over all of the verb's options, no help dump, no .NET type names, exit code 1; and every
/// numeric option refuses a value out of its range before any work starts.
/// </summary>
public sealed class UsageErrorTests
{
    private static void AssertUsageError(string args, string fragment)
    {
        using var tmp = new TempFolder();
        var (code, output, err) = CliRun.RunTemplate(args, tmp.Path);
        CliRun.AssertOneLineError(code, err, fragment);
        Assert.Equal(ExitCodes.UserError, code);
        Assert.Equal("", output);
        Assert.DoesNotContain("System.", err);
        Assert.DoesNotContain("Usage:", err);
        Assert.Empty(tmp.Entries());
    }

    [Theory]
    [InlineData("convert --ref x -o {0}/a.wav", "unknown option '--ref' (did you mean --reference?)")]
    [InlineData("convert --refrence x -o {0}/a.wav", "unknown option '--refrence' (did you mean --reference?)")]
    [InlineData("tts --demo --nosie-scale 0.5 -o {0}/a.wav", "did you mean --noise-scale?")]
    [InlineData("clone --demo --convertr x -o {0}/a.wav", "did you mean --converter?")]
    [InlineData("covert --demo", "unknown command 'covert' (did you mean convert?)")]
    [InlineData("convert --demo stray -o {0}/a.wav", "unexpected argument 'stray'")]
    [InlineData("tts --demo --speed abc -o {0}/a.wav", "--speed takes a number (e.g. 0.5), not 'abc': --speed NUMBER")]
    [InlineData("convert --demo --tau x -o {0}/a.wav", "--tau takes a number")]
    [InlineData("tts --demo --seed 1.5 -o {0}/a.wav", "--seed takes a whole number")]
    [InlineData("convert --demo --tau", "--tau needs a value: --tau NUMBER")]
    [InlineData("convert --demo", "--output is required: --output (-o) FILE")]
    [InlineData("convert --demo --dtype fp16 -o {0}/a.wav", "--dtype takes one of bf16, bfp8_b, f32, not 'fp16'")]
    [InlineData("bench foo", "'foo' is not one of converter, clone")]
    [InlineData("", "give a command: convert")]
    public void ParserErrorsAreOneLine(string args, string fragment) => AssertUsageError(args, fragment);

    [Theory]
    [InlineData("convert --demo --demo-seconds 0 -o {0}/a.wav", "--demo-seconds must be between 0.1 and 600 s, got 0")]
    [InlineData("convert --demo --demo-seconds -1 -o {0}/a.wav", "--demo-seconds must be between 0.1 and 600 s, got -1")]
    [InlineData("convert --demo --demo-seconds 100000 -o {0}/a.wav", "--demo-seconds must be between 0.1 and 600 s, got 100000")]
    [InlineData("convert --demo --threads -1 -o {0}/a.wav", "--threads must be between 0 and 1024, got -1")]
    [InlineData("tts --demo --threads -1 -o {0}/a.wav", "--threads must be between 0 and 1024")]
    [InlineData("convert --demo --tau -0.1 -o {0}/a.wav", "--tau must be between 0 and 10")]
    [InlineData("clone --demo --tau NaN -o {0}/a.wav", "--tau must be between 0 and 10, got NaN")]
    [InlineData("convert --demo --chunk-frames 100 -o {0}/a.wav", "--chunk-frames must be between 128")]
    [InlineData("convert --demo --chunk-frames 200 -o {0}/a.wav", "--chunk-frames must be a multiple of 128, got 200")]
    [InlineData("tts --demo --speed 0 -o {0}/a.wav", "--speed must be greater than 0")]
    [InlineData("tts --demo --speed NaN -o {0}/a.wav", "--speed must be greater than 0 and at most 10, got NaN")]
    [InlineData("tts --demo --length-scale -1 -o {0}/a.wav", "--length-scale must be greater than 0")]
    [InlineData("tts --demo --noise-scale -0.1 -o {0}/a.wav", "--noise-scale must be between 0 and 10")]
    [InlineData("clone --demo --noise-scale-w Infinity -o {0}/a.wav", "--noise-scale-w must be between 0 and 10")]
    [InlineData("tts --demo --sdp-ratio 2 -o {0}/a.wav", "--sdp-ratio must be between 0 and 1, got 2")]
    [InlineData("bench converter --seconds 0", "--seconds must be greater than 0 and at most 600 s, got 0")]
    [InlineData("bench converter --threads -1", "--threads must be between 0 and 1024")]
    [InlineData("bench converter --repeats 0", "--repeats must be between 1 and 1000, got 0")]
    [InlineData("graph --demo --seconds -2", "--seconds must be greater than 0")]
    [InlineData("emit --demo --lang python --sample-rate 0 -o {0}/p.py", "--sample-rate must be between 1")]
    public void NumbersOutOfRangeAreRefusedByTheParser(string args, string fragment) => AssertUsageError(args, fragment);

    [Fact]
    public void SuggestionsConsiderPrefixesAndTypos()
    {
        string[] names = ["--reference", "--demo", "--tau", "--seed", "--target-se", "--source-se"];
        Assert.Equal(["--reference"], Spelling.Suggest("--ref", names));
        Assert.Equal(["--reference"], Spelling.Suggest("--refernce", names));
        Assert.Equal(["--target-se"], Spelling.Suggest("--target", names));
        Assert.Equal(["--tau"], Spelling.Suggest("--tua", names));
        Assert.Equal(1, Spelling.Distance("seed", "sede"));
        Assert.Equal(4, Spelling.Distance("demo", "tau"));
        Assert.Empty(Spelling.Suggest("--zzzzzz", names));
    }

    /// <summary>--help works although the verb's required options are missing, and shows examples only in the verb's own help.</summary>
    [Theory]
    [InlineData("convert", "--reference")]
    [InlineData("tts", "--phonemes")]
    [InlineData("clone", "--converter")]
    [InlineData("symbols", "--model")]
    [InlineData("", "symbols")]
    public void HelpIsStillHelp(string verb, string mentions)
    {
        var (code, output, err) = CliRun.Run([.. verb.Split(' ', StringSplitOptions.RemoveEmptyEntries), "--help"]);
        Assert.Equal(0, code);
        Assert.Contains(mentions, output);
        Assert.Equal("", err);
        if (verb.Length == 0) Assert.DoesNotContain("Examples:", output);
    }
}
