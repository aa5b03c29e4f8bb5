namespace VoxTile.IR.Ops.Ttnn;

/// <summary>
/// <c>ttnn.concat(tensors, dim)</c>: concatenation along <c>dim</c> (nn.concat's reference). Sharded inputs are
/// accepted with TTNN's rules: a concat along the width needs HEIGHT_SHARDED inputs, along the height WIDTH_SHARDED.
/// </summary>
[Op("ttnn.concat", "tensors*")]
[Kernel("vt_concat")]
public sealed partial class Concat : Op, ITtnnOp
{
    [Attr] public required int Dim { get; init; }

    private Movement.Concat Reference => new() { Axis = Dim };

    public override TypeResult InferType(IReadOnlyList<TensorType> t) => Reference.InferType(t);

    public override Tensor Evaluate(IReadOnlyList<Tensor> inputs) => Reference.Evaluate(inputs);

    public IReadOnlyList<OperandRequirement> OperandRequirements => [OperandRequirement.Device("tensors", LayoutRequirement.Any, true)];

    public long WorkingSetBytes(IReadOnlyList<TensorType> inputs, TensorType output) => TtnnWorkingSet.Streaming(inputs, output);
}
