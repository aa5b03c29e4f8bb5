using System.CommandLine;

namespace VoxTile.Cli.Usage;

/// <summary>
/// Examples shown at the end of a verb's description (and so in its --help), read back from there by a test that
/// runs every one: an example in the help that fails is a bug.
/// </summary>
internal static class HelpExamples
{
    private const string Heading = "\n\nExamples:";

    public static void Add(Command command, params string[] examples)
    {
        if (command.Description?.Contains(Heading, StringComparison.Ordinal) != true) command.Description += Heading;
        command.Description += string.Concat(examples.Select(e => "\n  " + e));
    }

    /// <summary>The examples <paramref name="command"/>'s help shows.</summary>
    public static IReadOnlyList<string> Of(Command command)
    {
        var d = command.Description ?? "";
        int at = d.IndexOf(Heading, StringComparison.Ordinal);
        return at < 0 ? [] : [.. d[(at + Heading.Length)..].Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
    }
}
