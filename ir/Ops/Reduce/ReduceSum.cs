using VoxTile.IR.Ops.Movement;

namespace VoxTile.IR.Ops.Reduce;

/// <summary>Sum along one axis, accumulated in double; the axis is kept with size 1 unless <c>keep_dims</c> is false.</summary>
[Op("nn.reduce_sum", "input")]
public sealed partial class ReduceSum : Op
{
    [Attr] public required int Axis { get; init; }
    [Attr] public bool KeepDims { get; init; } = true;

    public override TypeResult InferType(IReadOnlyList<TensorType> t)
    {
        if (!AxisView.TryNormalize(Axis, t[0].Rank, out int axis)) return TypeResult.Fail($"axis {Axis} out of range for {t[0]}");
        var dims = t[0].Shape.ToList();
        if (KeepDims) dims[axis] = 1; else dims.RemoveAt(axis);
        return new TensorType(t[0].DType, new Shape(dims));
    }

    public override Tensor Evaluate(IReadOnlyList<Tensor> inputs)
    {
        var x = inputs[0];
        AxisView.TryNormalize(Axis, x.Rank, out int axis);
        var v = AxisView.Of(x.Shape, axis);
        var shape = x.Shape.ToList();
        if (KeepDims) shape[axis] = 1; else shape.RemoveAt(axis);
        var y = new Tensor([.. shape]);
        for (long o = 0; o < v.Outer; o++)
            for (long q = 0; q < v.Inner; q++)
            {
                double s = 0;
                for (int i = 0; i < v.Size; i++) s += x.Data[(o * v.Size + i) * v.Inner + q];
                y.Data[o * v.Inner + q] = (float)s;
            }
        return y;
    }
}
