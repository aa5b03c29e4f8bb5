using System.Globalization;
using VoxTile.Lowering.Costs;
using VoxTile.Lowering.Targets;

namespace VoxTile.Cli.Dump;

/// <summary>
/// What <c>voxtile compile</c> prints about cost beside the summary table: per-chip and whole-mesh figures of the
/// data-parallel run (<see cref="MeshCost"/>), the modeled latency with and without a trace, utterances per second and
/// the concurrent real-time streams the target serves.
/// </summary>
internal static class MeshSummary
{
    public static void Write(MeshFigures m, TargetSpec target, int ops, TextWriter to)
    {
        var r = m.Run;
        string mesh = target.IsMesh ? $"{target.MeshRows}×{target.MeshCols} mesh of {target.ChipName} chips, data parallel" : "one chip";
        to.WriteLine($"cost on {m.Target} ({mesh}): batch {m.BatchPerChip} per chip, {m.MeshBatch} per run");
        to.WriteLine($"  per chip: device {Ms(m.DeviceSecondsPerChip)} modeled, roofline {Ms(m.RooflineSecondsPerChip)} "
            + $"({Ratio(m.DeviceSecondsPerChip, m.RooflineSecondsPerChip)}), {ops} ops, {r.DevicePrograms} device programs");
        to.WriteLine($"  per chip: weights {Mb(m.WeightBytesPerChip)} (replicated), DRAM peak {Gb(m.PeakDramBytesPerChip)} of {Gb(m.DramBytesPerChip)}"
            + (m.FitsDram ? "" : " (does not fit)"));
        if (target.IsTenstorrent)
        {
            int links = Math.Clamp(target.PcieLinks, 1, target.Chips);
            to.WriteLine($"  whole mesh: weights {Mb(m.WeightBytesOnMesh)} uploaded once in {Ms(m.WeightUploadSeconds)}; per run inputs {Mb(r.InputBytesPerChip * m.Chips)} "
                + $"in {Ms(r.UploadSeconds)}, outputs {Mb(r.OutputBytesPerChip * m.Chips)} in {Ms(r.ReadbackSeconds)} over {links} PCIe link{(links == 1 ? "" : "s")}");
            to.WriteLine($"  latency: traced {Ms(r.TracedSeconds)}, untraced {Ms(r.UntracedSeconds)} (host dispatch {Ms(r.DispatchSeconds)})");
        }
        to.WriteLine($"  throughput: {F(m.UtterancesPerSecond, 1)} utterances/s traced ({F(m.UntracedUtterancesPerSecond, 1)} untraced), "
            + $"{F(m.RealTimeStreams, 1)} concurrent real-time streams of {F(m.AudioSecondsPerItem, 2)} s ({F(m.UntracedRealTimeStreams, 1)} untraced)");
    }

    public static string Ms(double s) => $"{F(s * 1e3, 2)} ms";

    public static string Ratio(double modeled, double roofline) => roofline > 0 ? $"{F(modeled / roofline, 2)}×" : "n/a";

    private static string Mb(long b) => $"{F(b / 1e6, 1)} MB";

    private static string Gb(long b) => $"{F(b / 1e9, 2)} GB";

    private static string F(double v, int decimals) => v.ToString("F" + decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
}
