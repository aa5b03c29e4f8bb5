namespace VoxTile.IR.Ops.Ttnn;

/// <summary>
/// <c>ttnn.mean(input_tensor, dim, keepdim=False)</c>: the mean over the dims (a list of axes, negative from the end; always explicit,
/// since TTNN's <c>dim=None</c> reduces every axis), accumulated in double.
/// </summary>
[Op("ttnn.mean", "input_tensor")]
[Kernel("vt_reduce", "VT_REDUCE_OP_MEAN")]
public sealed partial class Mean : Op, ITtnnOp
{
    [Attr] public required int[] Dim { get; init; }
    [Attr] public bool Keepdim { get; init; }

    public override TypeResult InferType(IReadOnlyList<TensorType> t) => TtnnReduction.InferType(t[0], Dim, Keepdim);

    public override Tensor Evaluate(IReadOnlyList<Tensor> inputs) => TtnnReduction.Evaluate(inputs[0], Dim, Keepdim, mean: true);

    public IReadOnlyList<OperandRequirement> OperandRequirements => TtnnReduction.Requirements;

    public long WorkingSetBytes(IReadOnlyList<TensorType> inputs, TensorType output) => TtnnWorkingSet.RowWise(inputs, output);
}
