using VoxTile.IR;

namespace VoxTile.Lowering.Rules.Legalize;

/// <summary>
/// What the elementwise rules share: operands broadcast to the op's rank, read in one permutation (chosen by
/// <see cref="Legalizer.ChoosePerm"/>) and in the op's compute dtype, and constants made on the spot.
/// </summary>
internal static class Eltwise
{
    /// <summary>
    /// <paramref name="build"/> over <paramref name="operands"/> read in a common permutation: congruent shapes, so
    /// TTNN's right-aligned broadcasting lines up. A single operand is read as it lies (a conv output stays flattened).
    /// </summary>
    public static DeviceValue Apply(Legalizer l, Node node, Func<Node[], Node> build, params DeviceValue[] operands)
    {
        int rank = node.Shape.Rank;
        var ops = operands.Select(o => o.Expand(rank)).ToArray();
        var perm = l.ChoosePerm(node, ops);
        var dtype = l.ComputeDType(node);
        if (AsRows(l, node, ops, perm, dtype) is { } rows) return DeviceValue.Of(build(rows), perm, node.Shape.ToArray());
        var form = ops.Count(o => !o.IsConstant) == ops.Length && ops.Length == 1 ? Form.Raw : Form.Congruent;
        var nodes = ops.Select(o => l.Read(o, perm, form, dtype)).ToArray();
        return DeviceValue.Of(build(nodes), perm, node.Shape.ToArray());
    }

    /// <summary>
    /// The operands as rows [1, 1, rows, width] when a batch's flattened conv output is among them: TTNN's conv gives
    /// [1, 1, B·L, C], congruent with the value's [B, L, C] only for B = 1. When every operand has the output's rows or
    /// one row, and the output's width or one column (a per-row mask, a per-channel vector, a scalar), all are read as
    /// rows and the flattened operands need no reshape — what batch 1 gets from congruence. Null otherwise (an operand
    /// broadcast per item, [B, 1, C] over [B, L, C], needs the batch axis).
    /// </summary>
    private static Node[]? AsRows(Legalizer l, Node node, DeviceValue[] ops, int[] perm, DType dtype)
    {
        var target = Perms.Apply(node.Shape.ToArray(), perm);
        if (target.Length < 2) return null;
        long rows = Tensor.Count(target[..^1]);
        int width = target[^1];
        bool Flattened(DeviceValue o)
        {
            if (o.IsConstant) return false;
            var sizes = Legalizer.Sizes(o.Node!);
            return sizes.Length >= 2 && sizes[^1] == width && sizes[^2] == rows && sizes[..^2].All(d => d == 1) && !Perms.Congruent(sizes, target);
        }
        if (!ops.Any(Flattened)) return null;
        var shapes = new int[ops.Length][];
        for (int i = 0; i < ops.Length; i++)
        {
            var t = Perms.Apply(ops[i].Shape, perm);
            long r = Tensor.Count(t[..^1]);
            if ((r != rows && r != 1) || (t[^1] != width && t[^1] != 1)) return null;
            shapes[i] = [1, 1, (int)r, t[^1]];
        }
        return [.. ops.Select((o, i) => l.Reshape(l.Read(o, perm, o.IsConstant ? Form.Congruent : Form.Raw, dtype), shapes[i]))];
    }

    /// <summary>A scalar constant (materialised as [1, …, 1] of the reading op's rank, in its dtype).</summary>
    public static DeviceValue Scalar(float value) =>
        DeviceValue.Of(new Constant("const.scalar_" + value.ToString("R", System.Globalization.CultureInfo.InvariantCulture), Tensor.Scalar(value)), []);
}
