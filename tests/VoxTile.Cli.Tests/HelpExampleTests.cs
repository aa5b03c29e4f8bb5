using VoxTile.Cli.Usage;
using VoxTile.Testing;

namespace VoxTile.Cli.Tests;

/// <summary>Every example a verb's --help shows runs as shown; <c>voxtile symbols</c> lists what those examples may use.</summary>
public sealed class HelpExampleTests
{
    public static TheoryData<string, string> Examples()
    {
        var data = new TheoryData<string, string>();
        foreach (var verb in Program.CreateRoot().Subcommands)
            foreach (var example in HelpExamples.Of(verb))
                data.Add(verb.Name, example);
        return data;
    }

    [Fact]
    public void TheRunVerbsShowExamples()
    {
        var verbs = Examples().Select(row => (string)row[0]).ToHashSet();
        Assert.Superset(new HashSet<string> { "convert", "tts", "symbols" }, verbs);
    }

    [Theory]
    [MemberData(nameof(Examples))]
    public void EveryHelpExampleRuns(string verb, string example)
    {
        var (_, help, _) = CliRun.Run(verb, "--help");
        Assert.Contains(example, help);
        var words = CliRun.Words(example);
        Assert.Equal(["voxtile", verb], words[..2]);
        using var tmp = new TempFolder();
        var cwd = Environment.CurrentDirectory;
        Environment.CurrentDirectory = tmp.Path;
        try
        {
            var (code, _, err) = CliRun.Run(words[1..]);
            Assert.True(code == 0, $"{example}: {err}");
        }
        finally
        {
            Environment.CurrentDirectory = cwd;
        }
    }

    [Fact]
    public void SymbolsListsTheDemoVocabularyTonesAndSpeakers()
    {
        var (code, output, err) = CliRun.Run("symbols", "--demo");
        Assert.True(code == 0, err);
        Assert.Contains("219 symbols", output);
        Assert.Matches(@"(?m)^ +\d+: .*(?<= )hh( |$)", output);
        Assert.Contains("--language EN        tones 0–3  (tone ids 7–10)", output);
        Assert.Contains("0: EN-US", output);
    }

    [GoldenFact("tts-tiny")]
    public void SymbolsReadsAModelsConfig()
    {
        var dir = Golden.Case("tts-tiny")!;
        var (code, output, err) = CliRun.Run("symbols", "--model", dir);
        Assert.True(code == 0, err);
        var config = VoxTile.Models.Config.MeloConfig.Load(Path.Combine(dir, "config.json"));
        Assert.Contains($"{config.Symbols?.Count ?? VoxTile.Models.Config.MeloConfig.DefaultVocab} symbols", output);
        foreach (var (name, id) in config.Speakers) Assert.Contains($"{id,3}: {name}", output);
    }

    [GoldenFact("converter-tiny")]
    public void SymbolsRefusesTheConverter()
    {
        var (code, _, err) = CliRun.Run("symbols", "--model", Golden.Case("converter-tiny")!);
        CliRun.AssertOneLineError(code, err, "is not a MeloTTS model");
    }
}
