namespace VoxTile.IR.Ops.Movement;

/// <summary>
/// x[start:end:step] along one axis. Negative start/end count from the end; end is clamped to the size
/// (so end = int.MaxValue means "to the end"), as in Python slicing.
/// </summary>
[Op("nn.slice", "input")]
public sealed partial class Slice : Op
{
    [Attr] public required int Axis { get; init; }
    [Attr] public required int Start { get; init; }
    [Attr] public int End { get; init; } = int.MaxValue;
    [Attr] public int Step { get; init; } = 1;

    internal (int Start, int Count) Resolve(int size)
    {
        int s = Start < 0 ? Math.Max(0, Start + size) : Math.Min(Start, size);
        int e = End < 0 ? Math.Max(0, End + size) : Math.Min(End, size);
        int count = e > s ? (e - s + Step - 1) / Step : 0;
        return (s, count);
    }

    public override TypeResult InferType(IReadOnlyList<TensorType> t)
    {
        if (!AxisView.TryNormalize(Axis, t[0].Rank, out int axis)) return TypeResult.Fail($"axis {Axis} out of range for {t[0]}");
        if (Step < 1) return TypeResult.Fail("step must be ≥ 1");
        var d = t[0].Shape[axis];
        Dim outDim;
        if (d.IsFixed) outDim = Resolve(d.Value).Count;
        else if (Start == 0 && End == int.MaxValue && Step == 1) outDim = d;
        else if (Start >= 0 && End >= 0 && End != int.MaxValue) outDim = Math.Max(0, End - Start + Step - 1) / Step; // assumes the size reaches End; checked at run time
        else outDim = Dim.Unknown;
        return new TensorType(t[0].DType, t[0].Shape.With(axis, outDim));
    }

    public override Tensor Evaluate(IReadOnlyList<Tensor> inputs)
    {
        var x = inputs[0];
        AxisView.TryNormalize(Axis, x.Rank, out int axis);
        var v = AxisView.Of(x.Shape, axis);
        var (s, count) = Resolve(v.Size);
        var shape = (int[])x.Shape.Clone();
        shape[axis] = count;
        var y = new Tensor(shape);
        for (long o = 0; o < v.Outer; o++)
            for (int i = 0; i < count; i++)
                Array.Copy(x.Data, (o * v.Size + s + (long)i * Step) * v.Inner, y.Data, (o * count + i) * v.Inner, v.Inner);
        return y;
    }
}
