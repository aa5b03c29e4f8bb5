namespace VoxTile.IR.Ops.Movement;

/// <summary>Reverses the order along one axis (VITS's Flip reverses all channels, axis 1).</summary>
[Op("nn.flip", "input")]
public sealed partial class Flip : Op
{
    [Attr] public int Axis { get; init; } = 1;

    public override TypeResult InferType(IReadOnlyList<TensorType> t) =>
        AxisView.TryNormalize(Axis, t[0].Rank, out _) ? new TensorType(t[0].DType, t[0].Shape) : TypeResult.Fail($"axis {Axis} out of range for {t[0]}");

    public override Tensor Evaluate(IReadOnlyList<Tensor> inputs)
    {
        var x = inputs[0];
        AxisView.TryNormalize(Axis, x.Rank, out int axis);
        var v = AxisView.Of(x.Shape, axis);
        var y = new Tensor((int[])x.Shape.Clone());
        for (long o = 0; o < v.Outer; o++)
            for (int i = 0; i < v.Size; i++)
                Array.Copy(x.Data, (o * v.Size + i) * v.Inner, y.Data, (o * v.Size + v.Size - 1 - i) * v.Inner, v.Inner);
        return y;
    }
}
