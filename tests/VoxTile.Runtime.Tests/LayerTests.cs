using System.Reflection;
using VoxTile.Runtime.Execution;

namespace VoxTile.Runtime.Tests;

/// <summary>
/// Layers point one way: ir ← lowering ← runtime ← models ← tools. The runtime executes plans and knows no model, so
/// neither it nor anything below it may reference the models or the command line (checked on the built assemblies).
/// </summary>
public sealed class LayerTests
{
    [Theory]
    [InlineData("VoxTile.IR", new string[0])]
    [InlineData("VoxTile.Lowering", new[] { "VoxTile.IR" })]
    [InlineData("VoxTile.Runtime", new[] { "VoxTile.IR", "VoxTile.Lowering" })]
    public void AssembliesReferenceOnlyTheLayersBelow(string assembly, string[] allowed)
    {
        var loaded = new[] { typeof(IR.Tensor).Assembly, typeof(Lowering.Targets.TargetSpec).Assembly, typeof(Executor).Assembly }
            .Single(a => a.GetName().Name == assembly);
        var voxTile = loaded.GetReferencedAssemblies().Select(a => a.Name!).Where(n => n.StartsWith("VoxTile.", StringComparison.Ordinal) || n == "voxtile");
        Assert.Equal(allowed.Order(), voxTile.Order());
    }

    [Fact]
    public void TheRuntimeProjectReferencesOnlyIrAndLowering()
    {
        var project = Path.Combine(RepositoryRoot(), "runtime", "VoxTile.Runtime.csproj");
        // A source generator runs at build time and is not referenced by the assembly (ReferenceOutputAssembly="false").
        var references = System.Xml.Linq.XDocument.Load(project).Descendants("ProjectReference")
            .Where(e => e.Attribute("ReferenceOutputAssembly")?.Value != "false")
            .Select(e => Path.GetFileName(e.Attribute("Include")!.Value));
        Assert.Equal(["VoxTile.IR.csproj", "VoxTile.Lowering.csproj"], references.Order());
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "VoxTile.slnx"))) return dir.FullName;
        throw new InvalidOperationException("no VoxTile.slnx above the test's folder");
    }
}
