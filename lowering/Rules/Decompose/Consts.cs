using VoxTile.IR;
using VoxTile.Lowering.Rules.Fold;

namespace VoxTile.Lowering.Rules.Decompose;

/// <summary>
/// The compile-time constants the decompositions introduce, as weights with <c>const.</c> keys derived from their
/// content (so the device plan packs them like weights, and equal keys hold equal data).
/// </summary>
internal static class Consts
{
    public static Node Weight(string key, Tensor value, bool exact = false) =>
        IR.Ops.Graph.Weight.Create(key, value, Node.IsValidName(key) ? key : null, exact);

    /// <summary>U[i, j] = 1 for i ≤ j: a row vector times U is its inclusive prefix sum. Exact: a prefix sum of integers must stay one.</summary>
    public static Node UpperTriangularOnes(int n)
    {
        var t = new Tensor([n, n]);
        for (int i = 0; i < n; i++)
            for (int j = i; j < n; j++) t.Data[i * n + j] = 1f;
        return Weight($"const.cumsum_tri{n}", t, exact: true);
    }

    /// <summary>0, 1, …, n−1 along the one axis of <paramref name="shape"/> whose size is not 1. Exact: frame indices past 256.</summary>
    public static Node Iota(params int[] shape)
    {
        if (shape.Count(d => d != 1) > 1) throw new ArgumentException($"an iota runs along one axis, got [{string.Join(",", shape)}]");
        var t = new Tensor(shape);
        for (int i = 0; i < t.Data.Length; i++) t.Data[i] = i;
        return Weight($"const.iota_{string.Join("x", shape)}", t, exact: true);
    }

    public static Node Zeros(params int[] shape) => Weight($"const.zeros_{string.Join("x", shape)}", new Tensor(shape));

    /// <summary>
    /// <paramref name="expr"/>, a function of weight <paramref name="source"/>, evaluated now into a constant when it
    /// depends only on constants (a weight re-sliced at compile time), else the expression itself (it then runs on
    /// the device, or fold-constants folds it once its operands are known). The key is the source's key plus
    /// <paramref name="what"/>, or a content hash when the source is not itself a weight.
    /// </summary>
    public static Node Derived(Node expr, Node source, string what) =>
        ConstantEvaluator.TryEvaluate(expr) is { } value
            ? Weight(source.Op is IR.Ops.Graph.Weight w ? $"const.{w.Key}.{what}" : FoldConstants.KeyFor(value), value)
            : expr;
}
