namespace VoxTile.IR.Ops.Ttnn;

/// <summary><c>ttnn.transpose(input_tensor, dim1, dim2)</c>: swaps two dims (negative dims count from the end).</summary>
[Op("ttnn.transpose", "input_tensor")]
[Kernel("vt_transpose")]
public sealed partial class Transpose : Op, ITtnnOp
{
    [Attr] public required int Dim1 { get; init; }
    [Attr] public required int Dim2 { get; init; }

    private Movement.Transpose? Reference(int rank)
    {
        if (!Movement.AxisView.TryNormalize(Dim1, rank, out int a) || !Movement.AxisView.TryNormalize(Dim2, rank, out int b)) return null;
        var perm = Enumerable.Range(0, rank).ToArray();
        (perm[a], perm[b]) = (b, a);
        return new() { Perm = perm };
    }

    public override TypeResult InferType(IReadOnlyList<TensorType> t) =>
        Reference(t[0].Rank)?.InferType(t) ?? TypeResult.Fail($"dims {Dim1} and {Dim2} out of range for {t[0]}");

    public override Tensor Evaluate(IReadOnlyList<Tensor> inputs) =>
        (Reference(inputs[0].Rank) ?? throw new VoxTileException($"dims {Dim1} and {Dim2} out of range for {inputs[0].ShapeString}")).Evaluate(inputs);

    public IReadOnlyList<OperandRequirement> OperandRequirements => [OperandRequirement.Device("input_tensor", LayoutRequirement.Any, false)];

    public long WorkingSetBytes(IReadOnlyList<TensorType> inputs, TensorType output) => TtnnWorkingSet.Streaming(inputs, output);
}
