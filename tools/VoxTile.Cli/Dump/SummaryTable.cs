using System.Globalization;
using Spectre.Console;
using VoxTile.Lowering.Plan;

namespace VoxTile.Cli.Dump;

/// <summary>The compile summary: ops by kind, host ops, L1, DRAM traffic, modeled time beside the roofline bound, and the latency with the host in it.</summary>
internal static class SummaryTable
{
    public static void Write(DevicePlan plan, TextWriter to)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(to),
            Ansi = to == Console.Out && !Console.IsOutputRedirected ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = ColorSystemSupport.Detect,
        });
        if (to != Console.Out || Console.IsOutputRedirected) console.Profile.Width = 100;
        var s = plan.Summary;
        var bucket = string.Join(", ", plan.Bucket.OrderBy(b => b.Key, StringComparer.Ordinal).Select(b => $"{b.Key} {b.Value}"));
        var table = new Table().Border(TableBorder.Rounded).Title($"{plan.Graph} on {plan.Target}{(bucket.Length > 0 ? $" ({bucket})" : "")}");
        table.AddColumn("");
        table.AddColumn(new TableColumn("").RightAligned());
        void Row(string k, string v) => table.AddRow(Markup.Escape(k), Markup.Escape(v));
        foreach (var (op, n) in s.OpsByKind.OrderByDescending(k => k.Value).ThenBy(k => k.Key, StringComparer.Ordinal))
            Row(op, n.ToString(CultureInfo.InvariantCulture));
        table.AddEmptyRow();
        Row("host ops", s.HostOps.ToString(CultureInfo.InvariantCulture));
        Row("peak L1 per core", $"{Mib(s.PeakL1BytesPerCore)} of {Mib(s.L1BudgetPerCore)} ({(double)s.PeakL1BytesPerCore / Math.Max(1, s.L1BudgetPerCore):P0})");
        Row("spills / reshards / sliced ops", $"{s.Spills} / {s.Reshards} / {s.Slices}");
        Row("DRAM traffic", $"{s.DramBytesMoved / 1e9:F3} GB");
        Row("weights", $"{s.WeightBytes / 1e6:F1} MB");
        Row("work", $"{s.Flops / 1e9:F1} GFLOP");
        Row("modeled time", Ms(s.ModeledSeconds));
        Row("roofline bound", Ms(s.RooflineSeconds));
        if (s.ModeledLatencyTracedSeconds > 0)
            Row("modeled latency traced / untraced", $"{Ms(s.ModeledLatencyTracedSeconds)} / {Ms(s.ModeledLatencyUntracedSeconds)}");
        console.Write(table);
    }

    private static string Mib(long b) => $"{b / 1048576.0:F2} MiB";

    private static string Ms(double s) => $"{s * 1e3:F2} ms";
}
