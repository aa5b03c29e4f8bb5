using VoxTile.IR;
using VoxTile.IR.IO;

namespace VoxTile.Testing;

/// <summary>
/// Locates the PyTorch golden cases in ../shared/golden (relative to the repository root).
/// Tests call <see cref="Case"/> and skip with <see cref="SkipReason"/> when the folder is absent.
/// </summary>
public static class Golden
{
    public static string? Root { get; } = FindRoot();

    public static string SkipReason =>
        "golden data not found: ../shared/golden beside the repository (or VOXTILE_GOLDEN) is absent";

    public static bool Available => Root is not null;

    /// <summary>Full path of a golden case folder, or null when goldens are absent.</summary>
    public static string? Case(string name) => Root is null ? null : Path.Combine(Root, name);

    public static Tensor Load(string caseName, string file)
    {
        var dir = Case(caseName) ?? throw new InvalidOperationException(SkipReason);
        return Npy.Read(Path.Combine(dir, file.EndsWith(".npy", StringComparison.Ordinal) ? file : file + ".npy"));
    }

    private static string? FindRoot()
    {
        var env = Environment.GetEnvironmentVariable("VOXTILE_GOLDEN");
        if (!string.IsNullOrEmpty(env)) return Directory.Exists(env) ? env : null;
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null)
        {
            if (File.Exists(Path.Combine(dir.FullName, "VoxTile.slnx")))
            {
                var g = Path.Combine(dir.FullName, "..", "shared", "golden");
                return Directory.Exists(g) ? Path.GetFullPath(g) : null;
            }
            dir = dir.Parent;
        }
        return null;
    }
}
