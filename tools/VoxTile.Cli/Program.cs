using System.CommandLine;
using VoxTile.Cli.Commands;
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
        root.Subcommands.Add(PhonemizeCommand.Create());
        HelpExamples.Install(root);
        return root;
    }

    /// <summary>Parses, and reports a parse error as every verb reports its errors (one line, <see cref="ExitCodes.UserError"/>).</summary>
    internal static int Run(RootCommand root, string[] args)
    {
        var result = root.Parse(args);
        return result.Errors.Count > 0 ? UsageErrors.Report(result) : result.Invoke();
    }
}
