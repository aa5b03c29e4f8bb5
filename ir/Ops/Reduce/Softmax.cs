using VoxTile.IR.Ops.Movement;

namespace VoxTile.IR.Ops.Reduce;

/// <summary>softmax along one axis: exp(x − max) / Σ exp(x − max), the sum in double (attention rows, spline bins).</summary>
[Op("nn.softmax", "input")]
public sealed partial class Softmax : Op
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
        if (y.Length == 0) return y;
        Par.For((int)(v.Outer * v.Inner), x.Length * 8, job =>
        {
            long o = job / v.Inner, q = job % v.Inner;
            long start = o * v.Size * v.Inner + q;
            float max = float.NegativeInfinity;
            for (int i = 0; i < v.Size; i++) max = MathF.Max(max, x.Data[start + i * v.Inner]);
            double sum = 0;
            for (int i = 0; i < v.Size; i++)
            {
                float e = MathF.Exp(x.Data[start + i * v.Inner] - max);
                y.Data[start + i * v.Inner] = e;
                sum += e;
            }
            float inv = (float)(1.0 / sum);
            for (int i = 0; i < v.Size; i++) y.Data[start + i * v.Inner] *= inv;
        });
        return y;
    }
}
