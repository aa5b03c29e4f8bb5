namespace VoxTile.IR.Ops.Ttnn;

/// <summary>
/// <c>ttnn.reshape(input_tensor, shape)</c>: a new shape for the same row-major data, one entry may be −1
/// (nn.reshape's inference and reference). Free on ROW_MAJOR when the last dim stays; a copy otherwise. TTNN wants
/// an interleaved operand.
/// </summary>
[Op("ttnn.reshape", "input_tensor")]
[Kernel("vt_reshape")]
public sealed partial class Reshape : Op, ITtnnOp
{
    [Attr] public required int[] Shape { get; init; }

    private Movement.Reshape Reference => new() { Shape = Shape };

    public override TypeResult InferType(IReadOnlyList<TensorType> t) => Reference.InferType(t);

    public override Tensor Evaluate(IReadOnlyList<Tensor> inputs) => Reference.Evaluate(inputs);

    public IReadOnlyList<OperandRequirement> OperandRequirements => [OperandRequirement.Device("input_tensor", LayoutRequirement.Any, false)];

    public long WorkingSetBytes(IReadOnlyList<TensorType> inputs, TensorType output) => TtnnWorkingSet.Streaming(inputs, output);
}
