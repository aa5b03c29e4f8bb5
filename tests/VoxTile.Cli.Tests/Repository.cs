namespace VoxTile.Cli.Tests;

/// <summary>Files of the repository the tests keep true (the README).</summary>
internal static class Repository
{
    public static string Root()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
            if (File.Exists(Path.Combine(d.FullName, "VoxTile.slnx"))) return d.FullName;
        throw new InvalidOperationException("the tests run outside the repository (no VoxTile.slnx above them)");
    }

    public static string Readme() => File.ReadAllText(Path.Combine(Root(), "README.md"));
}
