using VoxTile.IR.Ops.Elementwise;

namespace VoxTile.IR.Ops.Ttnn;

/// <summary>
/// Base of the one-operand ttnn eltwise ops (SFPU): a float tensor in, the same dtype and shape out; TILE operands,
/// sharded or interleaved. The reference maps every element in fp32 (<see cref="UnaryOp"/>'s evaluation).
/// </summary>
public abstract class TtnnUnaryOp : UnaryOp, ITtnnOp
{
    /// <summary>The dtypes the kernel documents (bf16, bfp8_b, f32 unless the op says otherwise).</summary>
    protected virtual DType[] DTypes => [DType.BF16, DType.BFP8_B, DType.F32];

    public override TypeResult InferType(IReadOnlyList<TensorType> inputs) =>
        inputs[0].DType.IsFloat() ? new TensorType(inputs[0].DType, inputs[0].Shape)
        : TypeResult.Fail($"input_tensor must be a float tensor, got {inputs[0]}");

    public IReadOnlyList<OperandRequirement> OperandRequirements => [OperandRequirement.Device("input_tensor", LayoutRequirement.Tile, true, DTypes)];

    public long WorkingSetBytes(IReadOnlyList<TensorType> inputs, TensorType output) => TtnnWorkingSet.Streaming(inputs, output);
}
