using System.CommandLine;
using VoxTile.Cli.Commands;
using VoxTile.Cli.Terminal;
using VoxTile.Cli.Usage;

namespace VoxTile.Cli;

/// <summary>The <c>voxtile</c> command line.</summary>
public static class Program
{
    public static int Main(string[] args)
    {
        return Run(CreateRoot(), args);
    }

    /// <summary>Every verb.</summary>
    internal static RootCommand CreateRoot()
    {
        var root = new RootCommand("VoxTile: OpenVoice V2 voice cloning compiled for Tenstorrent devices (TTNN), with a CPU runtime and an fp32 reference.");
        root.Subcommands.Add(ConvertCommand.Create());
        root.Subcommands.Add(BenchCommand.Create());
        root.Subcommands.Add(ExtractSeCommand.Create());
        root.Subcommands.Add(GraphCommand.Create());
        root.Subcommands.Add(CompileCommand.Create());
        root.Subcommands.Add(DumpCommand.Create());
        root.Subcommands.Add(EmitCommand.Create());
        root.Subcommands.Add(TtsCommand.Create());
        root.Subcommands.Add(CloneCommand.Create());
        root.Subcommands.Add(SymbolsCommand.Create());
        root.Subcommands.Add(ServeCommand.Create());
        root.Subcommands.Add(LoadTestCommand.Create());
        root.Subcommands.Add(PhonemizeCommand.Create());
        root.Options.Add(QuietOption());
        HelpExamples.Install(root);
        return root;
    }

    /// <summary><c>--quiet</c>, on every verb: no progress and no notes on stderr; errors, warnings and the result line only.</summary>
    internal static Option<bool> QuietOption() => new("--quiet", "-q")
    {
        Description = "Print no progress and no notes on stderr: errors, warnings and the result line only",
        Recursive = true,
    };

    /// <summary>Parses, and reports a parse error as every verb reports its errors (one line, <see cref="ExitCodes.UserError"/>).</summary>
    internal static int Run(RootCommand root, string[] args)
    {
        var result = root.Parse(args);
        if (result.Errors.Count > 0) return UsageErrors.Report(result);
        var mode = Progress.Mode;
        Progress.Mode = Progress.Detect(root.Options.OfType<Option<bool>>().Any(o => o.Name == "--quiet" && result.GetValue(o)));
        try { return result.Invoke(); }
        finally { Progress.Mode = mode; }
    }
}
