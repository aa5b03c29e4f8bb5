namespace VoxTile.IR.Ops.Ttnn;

/// <summary><c>ttnn.softmax(input_tensor, dim=-1)</c>: exp(x − max) / Σ exp(x − max) along <c>dim</c>, in double.</summary>
[Op("ttnn.softmax", "input_tensor")]
[Kernel("vt_softmax")]
public sealed partial class Softmax : Op, ITtnnOp
{
    [Attr] public int Dim { get; init; } = -1;

    public override TypeResult InferType(IReadOnlyList<TensorType> t)
    {
        if (!t[0].DType.IsFloat()) return TypeResult.Fail($"input_tensor must be a float tensor, got {t[0]}");
        return Movement.AxisView.TryNormalize(Dim, t[0].Rank, out _) ? new TensorType(t[0].DType, t[0].Shape)
            : TypeResult.Fail($"dim {Dim} out of range for {t[0]}");
    }

    public override Tensor Evaluate(IReadOnlyList<Tensor> inputs)
    {
        var x = inputs[0];
        Movement.AxisView.TryNormalize(Dim, x.Rank, out int axis);
        var v = Movement.AxisView.Of(x.Shape, axis);
        var y = new Tensor((int[])x.Shape.Clone());
        for (long o = 0; o < v.Outer; o++)
            for (long q = 0; q < v.Inner; q++)
            {
                long at0 = o * v.Size * v.Inner + q;
                double max = double.NegativeInfinity, sum = 0;
                for (int i = 0; i < v.Size; i++) max = Math.Max(max, x.Data[at0 + i * v.Inner]);
                for (int i = 0; i < v.Size; i++) sum += Math.Exp(x.Data[at0 + i * v.Inner] - max);
                for (int i = 0; i < v.Size; i++) y.Data[at0 + i * v.Inner] = (float)(Math.Exp(x.Data[at0 + i * v.Inner] - max) / sum);
            }
        return y;
    }

    public IReadOnlyList<OperandRequirement> OperandRequirements =>
        [OperandRequirement.Device("input_tensor", LayoutRequirement.Tile, false, DType.BF16, DType.BFP8_B, DType.F32)];

    public long WorkingSetBytes(IReadOnlyList<TensorType> inputs, TensorType output) => TtnnWorkingSet.RowWise(inputs, output);
}
