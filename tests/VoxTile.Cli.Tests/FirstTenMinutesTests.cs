using System.Text.RegularExpressions;

namespace VoxTile.Cli.Tests;

/// <summary>The README's "first ten minutes" commands run as written, in order, in one folder (later ones read earlier outputs).</summary>
public sealed partial class FirstTenMinutesTests
{
    [GeneratedRegex(@"## The first ten minutes\n.*?```sh\n(?<body>.*?)```", RegexOptions.Singleline)]
    private static partial Regex Section();

    [Fact]
    public void TheReadmeCommandsRun()
    {
        var m = Section().Match(Repository.Readme());
        Assert.True(m.Success, "the README has no \"## The first ten minutes\" section with a sh block");
        var commands = m.Groups["body"].Value.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(l => l.Split(" # ")[0].Trim()).ToList();
        Assert.True(commands.Count >= 5, $"{commands.Count} commands");
        using var tmp = new TempFolder();
        var cwd = Environment.CurrentDirectory;
        Environment.CurrentDirectory = tmp.Path;
        try
        {
            foreach (var command in commands)
            {
                var words = CliRun.Words(command);
                Assert.Equal("./voxtile", words[0]);
                var (code, output, err) = CliRun.Run(words[1..]);
                Assert.True(code == 0, $"{command}: {err}");
                Assert.DoesNotContain("voxtile: error", err);
                int o = Array.IndexOf(words, "-o");
                if (o > 0) Assert.True(File.Exists(Path.Combine(tmp.Path, words[o + 1])), $"{command} wrote no {words[o + 1]}: {output}");
            }
        }
        finally
        {
            Environment.CurrentDirectory = cwd;
        }
    }
}
