using VoxTile.IR.Ops.Elementwise;

namespace VoxTile.IR.Ops.Ttnn;

/// <summary>
/// Base of the two-tensor ttnn eltwise ops: NumPy broadcasting up to rank 5, output dtype the first operand's
/// (TTNN's default when no <c>dtype</c> is given; comparisons give 1.0/0.0 in it). Both operands must be floats
/// or both integers: TTNN does not mix them without a typecast.
/// </summary>
public abstract class TtnnBinaryOp : BinaryOp, ITtnnOp
{
    public const int MaxRank = 5;

    public override TypeResult InferType(IReadOnlyList<TensorType> inputs)
    {
        TensorType a = inputs[0], b = inputs[1];
        if (a.DType.IsFloat() != b.DType.IsFloat()) return TypeResult.Fail($"cannot mix float and integer operands: {a} and {b}");
        if (a.Rank > MaxRank || b.Rank > MaxRank) return TypeResult.Fail($"operands of rank above {MaxRank} do not broadcast on the device: {a} and {b}");
        var s = Broadcast.Shapes(a.Shape, b.Shape);
        return s is null ? TypeResult.Fail($"shapes {a.Shape} and {b.Shape} do not broadcast") : new TensorType(a.DType, s);
    }

    public IReadOnlyList<OperandRequirement> OperandRequirements =>
    [
        OperandRequirement.Device("input_tensor_a", LayoutRequirement.Tile, true, DType.BF16, DType.BFP8_B, DType.F32, DType.I32, DType.U32),
        OperandRequirement.Device("input_tensor_b", LayoutRequirement.Tile, true, DType.BF16, DType.BFP8_B, DType.F32, DType.I32, DType.U32),
    ];

    public long WorkingSetBytes(IReadOnlyList<TensorType> inputs, TensorType output) => TtnnWorkingSet.Streaming(inputs, output);
}
