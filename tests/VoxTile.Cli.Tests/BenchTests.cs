using System.Globalization;

namespace VoxTile.Cli.Tests;

/// <summary>
/// <c>voxtile bench converter</c> beside ONNX Runtime: the helper (tools/VoxTile.Bench) is found or built, loaded once
/// and timed after each of VoxTile's timed runs, and the last line carries a numeric ratio. Skipped where the exported
/// peer model (../shared/peers) is absent, as a fresh clone without it has nothing to compare against.
/// </summary>
public sealed class BenchTests
{
    [PeerFact]
    public void ConverterBenchTimesOnnxRuntimeAlternatelyAndPrintsARatio()
    {
        var (code, stdout, stderr) = CliRun.Run("bench", "converter", "--seconds", "0.5", "--repeats", "2", "--dtypes", "f32", "--targets", "cpu", "-q");
        Assert.True(code == 0, stderr);
        Assert.Contains("best of the 2 runs alternating with cpu f32's", stdout);
        var last = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1];
        Assert.StartsWith("bench converter ", last);
        double Field(string name) => double.Parse(last.Split(' ').Single(f => f.StartsWith(name + "=", StringComparison.Ordinal))[(name.Length + 1)..], CultureInfo.InvariantCulture);
        double ours = Field("voxtile_rtf"), ort = Field("onnxruntime_rtf"), ratio = Field("ratio");
        Assert.True(ours > 0 && ort > 0, last);
        Assert.InRange(ratio, ours / ort * 0.99, ours / ort * 1.01); // the fields are rounded to 4 decimals
    }
}

/// <summary>A fact skipped, with the reason, when ../shared/peers has no exported converter to time.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class PeerFactAttribute : FactAttribute
{
    public PeerFactAttribute()
    {
        var skeleton = Path.Combine(Repository.Root(), "..", "shared", "peers", "openvoice-v2-converter.skeleton.onnx");
        if (!File.Exists(skeleton)) Skip = "../shared/peers/openvoice-v2-converter.skeleton.onnx is not here (the ONNX Runtime peer)";
    }
}
