using System.Text.Json;
using VoxTile.Testing;
using Xunit.Abstractions;

namespace VoxTile.IR.Tests.Support;

/// <summary>
/// The PyTorch single-op cases in ../shared/golden/ops. Absent in a fresh clone: each test then writes the reason to its
/// output and returns (xunit 2 cannot skip from inside a test).
/// </summary>
public static class GoldenOps
{
    public const string CaseName = "ops";

    /// <summary>True when the case is present; otherwise logs why the test does nothing.</summary>
    public static bool Available(ITestOutputHelper output)
    {
        var dir = Golden.Case(CaseName);
        if (dir is not null && Directory.Exists(dir)) return true;
        output.WriteLine($"skipped: {Golden.SkipReason} (case '{CaseName}')");
        return false;
    }

    public static Tensor Load(string name) => Golden.Load(CaseName, name);

    /// <summary>An integer parameter of a tensor group from manifest.json ("params": {"conv1": {"dilation": 5}}).</summary>
    public static int Param(string group, string name, int fallback)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(Golden.Case(CaseName)!, "manifest.json")));
        return doc.RootElement.TryGetProperty("params", out var ps) && ps.TryGetProperty(group, out var g) && g.TryGetProperty(name, out var v)
            ? v.GetInt32() : fallback;
    }

    public static void AssertClose(Tensor actual, Tensor golden, string what, ITestOutputHelper output)
    {
        var (pcc, err) = Compare.AssertClose(actual, golden, what);
        output.WriteLine($"{what}: PCC {pcc:F8}, max abs error {err:E2} (max |golden| {Compare.MaxAbs(golden.Data):G4})");
    }
}
