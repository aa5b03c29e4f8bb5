using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;
using System.Runtime.CompilerServices;

namespace VoxTile.Cli.Usage;

/// <summary>
/// Examples printed at the end of a verb's --help (not in the list of verbs), and read back by a test that runs every
/// one: an example in the help that fails is a bug.
/// </summary>
internal static class HelpExamples
{
    private static readonly ConditionalWeakTable<Command, List<string>> Shown = [];

    public static void Add(Command command, params string[] examples) => Shown.GetOrCreateValue(command).AddRange(examples);

    /// <summary>The examples <paramref name="command"/>'s help shows.</summary>
    public static IReadOnlyList<string> Of(Command command) => Shown.TryGetValue(command, out var list) ? list : [];

    /// <summary>Makes <paramref name="root"/>'s --help (which every verb inherits) end with the verb's examples.</summary>
    public static void Install(RootCommand root)
    {
        var help = root.Options.OfType<HelpOption>().Single();
        help.Action = new WithExamples((HelpAction)help.Action!);
    }

    private sealed class WithExamples(HelpAction standard) : SynchronousCommandLineAction
    {
        /// <summary>As the standard help: --help works whatever else the line lacks.</summary>
        public override bool ClearsParseErrors => true;

        public override int Invoke(ParseResult parseResult)
        {
            int code = standard.Invoke(parseResult);
            var examples = Of(parseResult.CommandResult.Command);
            if (examples.Count > 0)
            {
                var o = parseResult.InvocationConfiguration.Output;
                o.WriteLine("Examples:");
                foreach (var e in examples) o.WriteLine($"  {e}");
                o.WriteLine();
            }
            return code;
        }
    }
}
