using NnMatMul = VoxTile.IR.Ops.Linear.MatMul;

namespace VoxTile.IR.Ops.Ttnn;

/// <summary>
/// <c>ttnn.matmul(input_tensor_a, input_tensor_b, *, transpose_a, transpose_b)</c>: batched [..., M, K] × [..., K, N]
/// with broadcasting batch dims (torch.matmul for rank ≥ 2); a transpose flag swaps that operand's last two dims
/// first. TILE operands in float dtypes; the result has a's dtype.
/// </summary>
[Op("ttnn.matmul", "input_tensor_a", "input_tensor_b")]
[Kernel("vt_matmul")]
public sealed partial class Matmul : Op, ITtnnOp
{
    [Attr] public bool TransposeA { get; init; }
    [Attr] public bool TransposeB { get; init; }

    public override TypeResult InferType(IReadOnlyList<TensorType> t) => Infer(t[0], t[1], TransposeA, TransposeB);

    internal static TypeResult Infer(TensorType a, TensorType b, bool transposeA, bool transposeB)
    {
        if (a.Rank < 2 || b.Rank < 2) return TypeResult.Fail($"operands need rank ≥ 2, got {a} and {b}");
        if (!a.DType.IsFloat() || !b.DType.IsFloat()) return TypeResult.Fail($"operands must be float tensors, got {a} and {b}");
        var r = new NnMatMul().InferType([Swapped(a, transposeA), Swapped(b, transposeB)]);
        return r.Ok ? new TensorType(a.DType, r.Type!.Shape) : r;
    }

    private static TensorType Swapped(TensorType t, bool swap) =>
        swap ? t.WithShape(t.Shape.With(-1, t.Shape[-2]).With(-2, t.Shape[-1])) : t;

    public override Tensor Evaluate(IReadOnlyList<Tensor> inputs) => Product(inputs[0], inputs[1], TransposeA, TransposeB);

    internal static Tensor Product(Tensor a, Tensor b, bool transposeA, bool transposeB) =>
        new NnMatMul().Evaluate([transposeA ? SwapLast(a) : a, transposeB ? SwapLast(b) : b]);

    private static Tensor SwapLast(Tensor x)
    {
        var perm = Enumerable.Range(0, x.Rank).ToArray();
        (perm[^1], perm[^2]) = (perm[^2], perm[^1]);
        return new Movement.Transpose { Perm = perm }.Evaluate([x]);
    }

    /// <summary>K in tiles: the contracted dim of a.</summary>
    internal static long InnerTiles(TensorType a, bool transposeA) => TtnnWorkingSet.Tiles(TtnnWorkingSet.Size(transposeA ? a.Shape[-2] : a.Shape[-1]));

    public IReadOnlyList<OperandRequirement> OperandRequirements =>
    [
        OperandRequirement.Device("input_tensor_a", LayoutRequirement.Tile, true, DType.BF16, DType.BFP8_B, DType.BFP4_B, DType.F32),
        OperandRequirement.Device("input_tensor_b", LayoutRequirement.Tile, true, DType.BF16, DType.BFP8_B, DType.BFP4_B, DType.F32),
    ];

    public long WorkingSetBytes(IReadOnlyList<TensorType> inputs, TensorType output) =>
        TtnnWorkingSet.Matmul(inputs[0], inputs[1], null, output, InnerTiles(inputs[0], TransposeA));
}
