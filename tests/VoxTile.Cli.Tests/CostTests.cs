using System.Globalization;
using System.Text.RegularExpressions;
using VoxTile.Lowering.Plan;

namespace VoxTile.Cli.Tests;

/// <summary>
/// What <c>voxtile compile</c> prints about cost (per chip, whole mesh, latency traced and untraced, utterances per
/// second, real-time streams) and <c>voxtile bench clone-model</c>'s modeled concurrent clones per target.
/// </summary>
public sealed class CostTests
{
    [Fact]
    public void CompileOnAMeshPrintsPerChipAndWholeMeshFigures()
    {
        using var tmp = new TempFolder();
        var (code, o, e) = CliRun.Run("compile", "--demo", "--seconds", "1", "--target", "wormhole_n300", "-o", tmp.File("n300.vtp"));
        Assert.True(code == 0, e);
        var plan = PlanFile.Read(tmp.File("n300.vtp"));
        Assert.Contains("cost on wormhole_n300 (1×2 mesh of wormhole_n150 chips, data parallel): batch 1 per chip, 2 per run", o);
        Assert.Contains("per chip: device ", o);
        Assert.Contains(FormattableString.Invariant($"per chip: weights {plan.Summary.WeightBytes / 1e6:F1} MB (replicated)"), o);
        Assert.Contains(FormattableString.Invariant($"whole mesh: weights {2 * plan.Summary.WeightBytes / 1e6:F1} MB uploaded once"), o);
        Assert.Contains("over 1 PCIe link", o);
        // The printed latencies are the plan summary's; the streams are the mesh's two utterances of 1 s per traced run.
        var traced = Ms(o, "latency: traced");
        Assert.Equal(plan.Summary.ModeledLatencyTracedSeconds * 1e3, traced, 2);
        Assert.Equal(plan.Summary.ModeledLatencyUntracedSeconds * 1e3, Ms(o, ", untraced"), 2);
        var streams = Number(o, @"utterances/s traced \([0-9.]+ untraced\), ([0-9.]+) concurrent real-time streams of 1\.00 s");
        Assert.InRange(streams / (2 / (traced / 1e3)), 0.99, 1.01);
        Assert.Contains("modeled latency traced / untraced", o);
    }

    [Fact]
    public void OneChipPrintsNoMeshButTheHostTerms()
    {
        using var tmp = new TempFolder();
        var (code, o, e) = CliRun.Run("compile", "--demo", "--seconds", "1", "-o", tmp.File("n150.vtp"));
        Assert.True(code == 0, e);
        Assert.Contains("cost on wormhole_n150 (one chip): batch 1 per chip, 1 per run", o);
        Assert.Contains("(host dispatch ", o);
        Assert.True(Ms(o, "latency: traced") < Ms(o, ", untraced"), "a trace removes the per-op dispatch");
    }

    [Fact]
    public void BenchCloneModelPrintsTheModeledClonesPerTarget()
    {
        var (code, o, e) = CliRun.Run("bench", "clone-model", "--seconds", "1", "--targets", "wormhole_n150", "wormhole_n300");
        Assert.True(code == 0, e);
        foreach (var part in new[] { "melotts", "convert", "clone" })
            Assert.Matches($@"wormhole_n300\s+{part}\s+2×1", o);
        Assert.Contains("wormhole_n150: ", o);
        Assert.Contains("concurrent real-time clones traced", o);
        Assert.DoesNotContain("wormhole_t3000", o);
        double n150 = Number(o, @"wormhole_n150_clones=([0-9.]+)"), n300 = Number(o, @"wormhole_n300_clones=([0-9.]+)");
        Assert.True(n150 > 0);
        // Two chips, one shared PCIe link: almost twice one chip's clones, never more.
        Assert.InRange(n300 / n150, 1.8, 2.0);
        Assert.True(Number(o, @"wormhole_n300_clones_untraced=([0-9.]+)") < n300);
    }

    [Fact]
    public void BenchCloneModelRefusesTheCpuTarget()
    {
        var (code, _, err) = CliRun.Run("bench", "clone-model", "--seconds", "1", "--targets", "cpu");
        CliRun.AssertOneLineError(code, err, "names no Tenstorrent target");
    }

    private static double Ms(string text, string label) => Number(text, Regex.Escape(label) + @" ([0-9.]+) ms");

    private static double Number(string text, string pattern)
    {
        var m = Regex.Match(text, pattern);
        Assert.True(m.Success, $"no match for /{pattern}/ in:\n{text}");
        return double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
    }
}
