using VoxTile.IR.Ops.Movement;

namespace VoxTile.IR.Ops.Sequence;

/// <summary>Inclusive prefix sum along one axis, accumulated in double so integer durations stay exact.</summary>
[Op("nn.cumsum", "input")]
public sealed partial class Cumsum : Op
{
    [Attr] public int Axis { get; init; } = -1;

    public override TypeResult InferType(IReadOnlyList<TensorType> t) =>
        AxisView.TryNormalize(Axis, t[0].Rank, out _) ? new TensorType(t[0].DType, t[0].Shape) : TypeResult.Fail($"axis {Axis} out of range for {t[0]}");

    public override Tensor Evaluate(IReadOnlyList<Tensor> inputs)
    {
        var x = inputs[0];
        AxisView.TryNormalize(Axis, x.Rank, out int axis);
        var v = AxisView.Of(x.Shape, axis);
        var y = new Tensor((int[])x.Shape.Clone());
        for (long o = 0; o < v.Outer; o++)
            for (long q = 0; q < v.Inner; q++)
            {
                double s = 0;
                for (int i = 0; i < v.Size; i++)
                {
                    long at = (o * v.Size + i) * v.Inner + q;
                    s += x.Data[at];
                    y.Data[at] = (float)s;
                }
            }
        return y;
    }
}
