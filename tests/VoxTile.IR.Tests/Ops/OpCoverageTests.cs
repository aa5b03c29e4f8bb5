namespace VoxTile.IR.Tests.Ops;

public sealed class OpCoverageTests
{
    /// <summary>
    /// Every model-level op (<c>nn.*</c>, and the graph's input and weight) VoxTile.IR.Ops.&lt;Family&gt;.&lt;Op&gt; has its
    /// tests in VoxTile.IR.Tests.Ops.&lt;Family&gt;.&lt;Op&gt;Tests. Target ops (<c>ttnn.*</c>) are checked against their kernels
    /// where the kernels are tested.
    /// </summary>
    [Fact]
    public void EveryModelOpHasATestClassOfItsName()
    {
        static string? OpName(Type t) => t.GetCustomAttributes(typeof(OpAttribute), false).Cast<OpAttribute>().SingleOrDefault()?.Name;
        var ops = typeof(Op).Assembly.GetTypes()
            .Where(t => t.IsSubclassOf(typeof(Op)) && !t.IsAbstract)
            .Where(t => OpName(t) is { } name ? name.StartsWith("nn.", StringComparison.Ordinal) : t.Namespace == "VoxTile.IR.Ops.Graph")
            .ToList();
        Assert.Contains(ops, t => t.Name == "Conv1d");
        var tests = typeof(OpCoverageTests).Assembly.GetTypes().Select(t => t.FullName).ToHashSet();
        var missing = ops
            .Select(t => t.Namespace!.Replace("VoxTile.IR.Ops", "VoxTile.IR.Tests.Ops", StringComparison.Ordinal) + "." + t.Name + "Tests")
            .Where(name => !tests.Contains(name))
            .ToList();
        Assert.True(missing.Count == 0, "ops without a test class: " + string.Join(", ", missing));
    }

    [Fact]
    public void EveryRegisteredOpNameIsAnOpClass()
    {
        var names = typeof(Op).Assembly.GetTypes()
            .Select(t => t.GetCustomAttributes(typeof(OpAttribute), false).Cast<OpAttribute>().SingleOrDefault()?.Name)
            .OfType<string>().Order(StringComparer.Ordinal);
        Assert.Equal(names, OpRegistry.Names);
    }
}
