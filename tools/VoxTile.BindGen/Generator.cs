namespace VoxTile.BindGen;

/// <summary>The repository's one bindings job: kernels/include/voxtile_kernels.h → runtime/Native/VoxTileKernels.g.cs.</summary>
public static class Generator
{
    public const string HeaderPath = "kernels/include/voxtile_kernels.h";
    public const string OutputPath = "runtime/Native/VoxTileKernels.g.cs";

    private static readonly CSharpWriter.Options Options = new(
        HeaderName: HeaderPath, Namespace: "VoxTile.Runtime.Native", ClassName: "VtNative", LibraryName: "voxtile_kernels", Prefix: "vt_");

    /// <summary>The bindings text for a header.</summary>
    public static string Generate(string headerPath) => CSharpWriter.Write(HeaderReader.Read(headerPath), Options);

    /// <summary>The repository root: the nearest folder up from <paramref name="start"/> holding VoxTile.slnx.</summary>
    public static string FindRepositoryRoot(string start)
    {
        for (var dir = new DirectoryInfo(Path.GetFullPath(start)); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "VoxTile.slnx"))) return dir.FullName;
        throw new BindGenException($"no VoxTile.slnx above {start}: run from inside the repository or pass --root");
    }

    /// <summary>Null when the checked-in bindings equal what the header gives, else why not.</summary>
    public static string? Check(string root)
    {
        var expected = Generate(Path.Combine(root, HeaderPath));
        var path = Path.Combine(root, OutputPath);
        if (!File.Exists(path)) return $"{OutputPath} is missing";
        var actual = File.ReadAllText(path).ReplaceLineEndings("\n");
        if (actual == expected) return null;
        var a = actual.Split('\n');
        var e = expected.Split('\n');
        var line = 0;
        while (line < a.Length && line < e.Length && a[line] == e[line]) line++;
        return $"{OutputPath} is stale (first difference at line {line + 1}: " +
               $"checked in '{(line < a.Length ? a[line].Trim() : "<end>")}', generated '{(line < e.Length ? e[line].Trim() : "<end>")}')";
    }
}
