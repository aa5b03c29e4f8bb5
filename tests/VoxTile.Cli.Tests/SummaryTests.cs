using System.Globalization;
using System.Text.RegularExpressions;

namespace VoxTile.Cli.Tests;

/// <summary>
/// A run ends with one short line — output, audio length, wall time, the RTF without compiling and loading, and what
/// ran it ("the CPU runtime running the … plan", never "the device") — with the details under --verbose and every
/// --profile table named by its plan.
/// </summary>
public sealed partial class SummaryTests
{
    [GeneratedRegex(@"^wrote (?<path>\S+): (?<audio>[\d.]+) s at 22050 Hz in (?<wall>[\d.]+) s, RTF (?<rtf>[\d.]+)( \(without (?<setup>[\d.]+) s compiling and loading\))?, on the CPU runtime running the (?<target>\w+) plan \(bf16\)$")]
    private static partial Regex SummaryLine();

    [Theory]
    [InlineData("cpu")]
    [InlineData("wormhole_n150")]
    public void ConvertEndsWithOneShortLine(string target)
    {
        using var tmp = new TempFolder();
        var (code, output, err) = CliRun.Run("convert", "--demo", "--demo-seconds", "1", "--target", target, "-o", tmp.File("a.wav"));
        Assert.True(code == 0, err);
        var line = Assert.Single(output.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.True(line.Length - tmp.File("a.wav").Length <= 150, $"{line.Length} characters: {line}");
        var m = SummaryLine().Match(line);
        Assert.True(m.Success, line);
        Assert.Equal(target, m.Groups["target"].Value);
        double F(string g) => m.Groups[g].Success ? double.Parse(m.Groups[g].Value, CultureInfo.InvariantCulture) : 0;
        Assert.Equal(1.0, F("audio"), 2);
        // RTF is the wall time less compiling and loading, per second of audio (each figure rounded as printed).
        Assert.InRange(F("rtf") * F("audio"), F("wall") - F("setup") - 0.11, F("wall") - F("setup") + 0.11);
        Assert.DoesNotContain("device", line);
        Assert.DoesNotContain("plan cache", err);
    }

    [Fact]
    public void VerboseAddsTheDetailsAndProfileTablesAreNamed()
    {
        using var tmp = new TempFolder();
        var (code, output, err) = CliRun.Run("convert", "--demo", "--demo-seconds", "1", "--verbose", "--profile", "-o", tmp.File("a.wav"));
        Assert.True(code == 0, err);
        Assert.Single(output.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("voxtile: converter: plan cache", err);
        Assert.Contains("0 on the host", err);
        var lines = err.Split('\n');
        int tables = lines.Count(l => l.StartsWith("total (", StringComparison.Ordinal));
        Assert.True(tables >= 2, err);
        var headings = lines.Where(l => l.StartsWith("voxtile: profile of the ", StringComparison.Ordinal)).ToList();
        Assert.Equal(tables, headings.Count);
        Assert.Contains(headings, h => h.StartsWith("voxtile: profile of the voice_conversion (128 frames) plan for cpu (bf16)", StringComparison.Ordinal));
        Assert.Contains(headings, h => h.StartsWith("voxtile: profile of the extract_se (", StringComparison.Ordinal));
    }
}
