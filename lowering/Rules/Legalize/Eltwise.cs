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
        var form = ops.Count(o => !o.IsConstant) == ops.Length && ops.Length == 1 ? Form.Raw : Form.Congruent;
        var nodes = ops.Select(o => l.Read(o, perm, form, dtype)).ToArray();
        return DeviceValue.Of(build(nodes), perm, node.Shape.ToArray());
    }

    /// <summary>A scalar constant (materialised as [1, …, 1] of the reading op's rank, in its dtype).</summary>
    public static DeviceValue Scalar(float value) =>
        DeviceValue.Of(new Constant("const.scalar_" + value.ToString("R", System.Globalization.CultureInfo.InvariantCulture), Tensor.Scalar(value)), []);
}
