using VoxTile.IR;
using VoxTile.Lowering.Passes;

namespace VoxTile.Lowering.Rules.Decompose;

/// <summary>Small helpers the decompositions share for reshapes of values whose batch may be symbolic.</summary>
internal static class Shapes
{
    /// <summary>The sizes of <paramref name="dims"/> for an <c>nn.reshape</c>: fixed sizes, −1 for the one that is not; null when more than one is not.</summary>
    public static int[]? ReshapeSizes(IEnumerable<Dim> dims)
    {
        var r = dims.Select(d => d.IsFixed ? d.Value : -1).ToArray();
        return r.Count(v => v == -1) <= 1 ? r : null;
    }

    /// <summary>The permutation that swaps <paramref name="a"/> and <paramref name="b"/> (its own inverse).</summary>
    public static int[] Swap(int rank, int a, int b)
    {
        var p = Enumerable.Range(0, rank).ToArray();
        (p[a], p[b]) = (p[b], p[a]);
        return p;
    }

    /// <summary>
    /// <paramref name="replacement"/> when it has the type of <paramref name="node"/>; otherwise null with a note (a
    /// rule never hands the rewriter a value of another type).
    /// </summary>
    public static Node? Checked(IRewriteRule rule, Node node, Node replacement, PassContext context)
    {
        if (replacement.Type.DType == node.Type.DType && replacement.Shape.Equals(node.Shape)) return replacement;
        context.Note($"{rule.Name}: {Describe(node)} left as is: the decomposition would give {replacement.Type}, not {node.Type}");
        return null;
    }

    public static string Describe(Node n) => n.Name is null ? n.Op.Name : $"%{n.Name} ({n.Op.Name})";
}
