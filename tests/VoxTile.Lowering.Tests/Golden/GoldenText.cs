using System.Runtime.CompilerServices;

// Not "...Tests.Golden": that namespace would hide VoxTile.Testing.Golden from every other test of this project.
namespace VoxTile.Lowering.Tests.GoldenDumps;

/// <summary>
/// Golden text files under <c>Golden/expected/</c>: the test's text must equal the file. With
/// <c>VOXTILE_UPDATE_GOLDEN=1</c> the files are (re)written instead; review the diff before committing it.
/// </summary>
internal static class GoldenText
{
    public const string UpdateVariable = "VOXTILE_UPDATE_GOLDEN";

    public static void Check(string name, string actual, [CallerFilePath] string caller = "")
    {
        var path = Path.Combine(Path.GetDirectoryName(caller)!, "expected", name + ".txt");
        actual = actual.ReplaceLineEndings("\n");
        if (Environment.GetEnvironmentVariable(UpdateVariable) == "1")
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, actual);
            return;
        }
        if (!File.Exists(path)) Assert.Fail($"no golden file {path}: run the test with {UpdateVariable}=1 to write it");
        var expected = File.ReadAllText(path).ReplaceLineEndings("\n");
        if (expected == actual) return;
        var e = expected.Split('\n');
        var a = actual.Split('\n');
        int line = 0;
        while (line < Math.Min(e.Length, a.Length) && e[line] == a[line]) line++;
        Assert.Fail($"{name}: the text differs from {path} at line {line + 1}\n  expected: {(line < e.Length ? e[line] : "(end)")}\n  actual:   {(line < a.Length ? a[line] : "(end)")}\n"
            + $"(regenerate with {UpdateVariable}=1 if the change is intended)");
    }
}
