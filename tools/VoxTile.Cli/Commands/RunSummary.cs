using System.Globalization;
using VoxTile.Models.Device;

namespace VoxTile.Cli.Commands;

/// <summary>
/// The one line a run command prints when it is done: what it wrote, how much audio, the wall time, and the RTF of the
/// run itself (compiling and loading plans, which a second run with the plans cached skips, are left out and named),
/// and what ran it — the CPU runtime running a target's plan, or the fp32 reference interpreter. The details go to
/// stderr under --verbose.
/// </summary>
internal static class RunSummary
{
    /// <summary>What ran the model: "the CPU runtime running the wormhole_n150 plan (bf16)".</summary>
    public static string Engine(DeviceBackendOptions? options) =>
        options is null ? "the fp32 reference interpreter" : $"the CPU runtime running the {options.Target.Name} plan ({options.DType})";

    /// <param name="setupSeconds">compiling and loading plans within <paramref name="wallSeconds"/>.</param>
    public static string Line(string path, double audioSeconds, int sampleRate, double wallSeconds, double setupSeconds, string engine)
    {
        double run = Math.Max(wallSeconds - setupSeconds, 0);
        string rtf = (run / Math.Max(audioSeconds, 1e-9)).ToString("F2", CultureInfo.InvariantCulture);
        string setup = setupSeconds > 0.005 ? $" (without {setupSeconds:F1} s compiling and loading)" : "";
        return $"wrote {path}: {audioSeconds:F2} s at {sampleRate} Hz in {wallSeconds:F1} s, RTF {rtf}{setup}, on {engine}";
    }
}
