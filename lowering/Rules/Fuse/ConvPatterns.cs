using VoxTile.IR;
using Tt = VoxTile.IR.Ops.Ttnn;

namespace VoxTile.Lowering.Rules.Fuse;

/// <summary>What the fusion rules look for around a conv: its output behind a reshape, row masks, channel vectors.</summary>
internal static class ConvPatterns
{
    /// <summary>
    /// The conv whose result <paramref name="value"/> is, directly or through <c>ttnn.reshape</c>s (the same bytes),
    /// when <paramref name="reader"/> is the only reader of each; else null.
    /// </summary>
    public static (Node Node, FusedConv Conv)? Behind(Node value, Node reader, FuseContext cx)
    {
        if (!cx.OnlyReadBy(value, reader)) return null;
        var n = value;
        // A batch may wrap a fused conv in two views (its [B, L, C] for a per-item add, then rows again for the next op).
        while (n.Op is Tt.Reshape && cx.OnlyReadBy(n.Inputs[0], n)) n = n.Inputs[0];
        return FusedConv.Of(n) is { } f && n.Type.DType == value.Type.DType ? (n, f) : null;
    }

    /// <summary>The other operand of a two-operand node, or null when <paramref name="one"/> is not exactly one of them.</summary>
    public static Node? Other(Node binary, Node one) =>
        ReferenceEquals(binary.Inputs[0], one) && !ReferenceEquals(binary.Inputs[1], one) ? binary.Inputs[1]
        : ReferenceEquals(binary.Inputs[1], one) && !ReferenceEquals(binary.Inputs[0], one) ? binary.Inputs[0] : null;

    /// <summary>Float, and not a block float (the kernels read extra operands as rows).</summary>
    public static bool IsRowFloat(TensorType t) => t.DType is DType.F32 or DType.BF16;

    /// <summary>[…, C] with every other dim 1: a value per channel, broadcast over time.</summary>
    public static bool IsChannelVector(TensorType t, int channels)
    {
        if (!t.Shape.IsFixed || !IsRowFloat(t)) return false;
        var d = t.Shape.ToArray();
        return d.Length >= 1 && d[^1] == channels && d.Take(d.Length - 1).All(x => x == 1);
    }

    /// <summary>
    /// [N, 1, …, C] added to a sum [N, …, C] of a batch-N conv's rows: a value per channel for each item (a batch's
    /// per-item conditioning), item n's broadcast over item n's rows only.
    /// </summary>
    public static bool IsItemChannelVector(TensorType t, TensorType sum, int batch, int channels)
    {
        if (batch < 2 || !t.Shape.IsFixed || !sum.Shape.IsFixed || !IsRowFloat(t) || t.Rank != sum.Rank || t.Rank < 2) return false;
        var d = t.Shape.ToArray();
        return d[0] == batch && sum.Shape[0].Value == batch && d[^1] == channels && d[1..^1].All(x => x == 1);
    }

    /// <summary>
    /// [.., L, 1] against a product [.., L, C]: <paramref name="rows"/> values, one per row, broadcast only over the
    /// channels (right-aligned, every other dim equal, missing dims 1).
    /// </summary>
    public static bool IsRowMask(TensorType mask, TensorType product, long rows)
    {
        if (!mask.Shape.IsFixed || !product.Shape.IsFixed || !IsRowFloat(mask)) return false;
        var m = mask.Shape.ToArray();
        var o = product.Shape.ToArray();
        if (m.Length == 0 || o.Length == 0 || m[^1] != 1 || Tensor.Count(m) != rows) return false;
        for (int k = 2; k <= Math.Max(m.Length, o.Length); k++)
            if ((k <= m.Length ? m[^k] : 1) != (k <= o.Length ? o[^k] : 1)) return false;
        return true;
    }

    /// <summary>Whether <paramref name="t"/> holds <paramref name="rows"/> × <paramref name="channels"/> values in that row-major order.</summary>
    public static bool HoldsRows(TensorType t, long rows, int channels) =>
        t.Shape.IsFixed && t.Rank >= 1 && t.Shape[t.Rank - 1].Value == channels && Tensor.Count(t.Shape.ToArray()) == rows * channels;
}
