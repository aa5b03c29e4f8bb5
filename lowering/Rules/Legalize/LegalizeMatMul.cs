using VoxTile.IR;
using VoxTile.IR.Ops.Linear;
using Tt = VoxTile.IR.Ops.Ttnn;

namespace VoxTile.Lowering.Rules.Legalize;

/// <summary>
/// <c>nn.matmul</c> → <c>ttnn.matmul</c>. An operand held with its last two axes swapped (a channels-last [B, C, T]
/// read as [B, T, C]) is passed with transpose_a/transpose_b instead of being permuted; when the consumers want the
/// result swapped, the product is computed as Bᵀ·Aᵀ. A constant operand is materialised as TTNN wants it. The
/// prefix-sum matmuls of the decomposed cumsum compute in f32 with an f32 triangle (<see cref="ExactValues"/>);
/// other constant right-hand sides are weights, in <see cref="Passes.LoweringOptions.WeightDType"/>.
/// </summary>
public sealed class LegalizeMatMul : ILegalizeRule
{
    public string Name => "legalize-matmul";

    public DeviceValue? Lower(Node node, Legalizer l)
    {
        if (node.Op is not MatMul) return null;
        var a = l.Value(node.Inputs[0]);
        var b = l.Value(node.Inputs[1]);
        int rank = node.Shape.Rank;
        var dtype = l.ComputeDType(node);
        var swapped = Swapped(rank);
        bool transposeResult = l.Demand(node) is { } d && Perms.SameData(node.Shape.ToArray(), d, swapped) && !Perms.SameData(node.Shape.ToArray(), d, Perms.Identity(rank));
        var (an, at) = Operand(l, a, dtype, dtype);
        var (bn, bt) = Operand(l, b, dtype, dtype == DType.F32 && l.IsExact(node) ? DType.F32 : l.Options.WeightDType);
        Node y = transposeResult
            ? l.Emit(new Tt.Matmul { TransposeA = !bt, TransposeB = !at }, bn, an)
            : l.Emit(new Tt.Matmul { TransposeA = at, TransposeB = bt }, an, bn);
        return DeviceValue.Of(y, transposeResult ? swapped : Perms.Identity(rank), node.Shape.ToArray());
    }

    /// <summary>The operand as it lies when it lies as x or xᵀ (the flag says which), else permuted to x.</summary>
    private static (Node Node, bool Transposed) Operand(Legalizer l, DeviceValue v, DType dtype, DType constantDType)
    {
        var identity = Perms.Identity(v.Rank);
        if (v.Constant is { } c) return (l.Materialize(c, v.Shape, identity, constantDType, Layout.Tile), false);
        if (v.HasDataIn(identity)) return (l.Read(v, identity, Form.Congruent, dtype), false);
        var swapped = Swapped(v.Rank);
        if (v.HasDataIn(swapped)) return (l.Read(v, swapped, Form.Congruent, dtype), true);
        // Either needs a permute; the one that keeps the tile width moves whole rows (attention's head split keeps d last).
        int width = v.Perm.LastOrDefault(a => v.Shape[a] != 1, v.Perm[^1]);
        bool keepsWidth = swapped[^1] == width && identity[^1] != width;
        return (l.Read(v, keepsWidth ? swapped : identity, Form.Congruent, dtype), keepsWidth);
    }

    private static int[] Swapped(int rank) => [.. Enumerable.Range(0, rank - 2), rank - 1, rank - 2];
}
