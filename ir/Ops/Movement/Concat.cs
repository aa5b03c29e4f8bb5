namespace VoxTile.IR.Ops.Movement;

/// <summary>Concatenation along one axis; all other dims must agree.</summary>
[Op("nn.concat", "inputs*")]
public sealed partial class Concat : Op
{
    [Attr] public required int Axis { get; init; }

    public override TypeResult InferType(IReadOnlyList<TensorType> t)
    {
        if (!AxisView.TryNormalize(Axis, t[0].Rank, out int axis)) return TypeResult.Fail($"axis {Axis} out of range for {t[0]}");
        Dim total = 0;
        bool fixedSum = true;
        int sum = 0;
        foreach (var x in t)
        {
            if (x.Rank != t[0].Rank || x.DType != t[0].DType) return TypeResult.Fail($"operands differ in rank or dtype: {t[0]} and {x}");
            for (int i = 0; i < x.Rank; i++)
                if (i != axis && !x.Shape[i].Compatible(t[0].Shape[i])) return TypeResult.Fail($"operands differ off the axis: {t[0].Shape} and {x.Shape}");
            if (x.Shape[axis].IsFixed) sum += x.Shape[axis].Value; else fixedSum = false;
        }
        total = fixedSum ? sum : t.Count == 1 ? t[0].Shape[axis] : Dim.Unknown;
        return new TensorType(t[0].DType, t[0].Shape.With(axis, total));
    }

    public override Tensor Evaluate(IReadOnlyList<Tensor> inputs)
    {
        AxisView.TryNormalize(Axis, inputs[0].Rank, out int axis);
        var shape = (int[])inputs[0].Shape.Clone();
        // Unknown (?) dims pass inference, so the sizes off the axis are checked again on the real tensors.
        foreach (var x in inputs)
            if (x.Rank != shape.Length || Enumerable.Range(0, x.Rank).Any(i => i != axis && x.Shape[i] != shape[i]))
                throw new VoxTileException($"operands differ off the axis: {inputs[0].ShapeString} and {x.ShapeString}");
        shape[axis] = inputs.Sum(x => x.Shape[axis]);
        var y = new Tensor(shape);
        var vy = AxisView.Of(shape, axis);
        int at = 0;
        foreach (var x in inputs)
        {
            var v = AxisView.Of(x.Shape, axis);
            for (long o = 0; o < v.Outer; o++)
                Array.Copy(x.Data, o * v.Size * v.Inner, y.Data, (o * vy.Size + at) * vy.Inner, v.Size * v.Inner);
            at += v.Size;
        }
        return y;
    }
}
