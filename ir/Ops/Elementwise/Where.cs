namespace VoxTile.IR.Ops.Elementwise;

/// <summary>
/// Select with NumPy broadcasting of all three operands: lhs where cond ≠ 0, else rhs (torch.where). The branch not
/// taken may hold anything, NaN included, which is why a mask product cannot stand in for it.
/// </summary>
[Op("nn.where", "cond", "lhs", "rhs")]
public sealed partial class Where : Op
{
    public override TypeResult InferType(IReadOnlyList<TensorType> t)
    {
        if (t[1].DType != t[2].DType) return TypeResult.Fail($"branches differ in dtype: {t[1]} and {t[2]}");
        var s = Broadcast.Shapes(t[1].Shape, t[2].Shape);
        s = s is null ? null : Broadcast.Shapes(t[0].Shape, s);
        return s is null ? TypeResult.Fail($"shapes {t[0].Shape}, {t[1].Shape} and {t[2].Shape} do not broadcast") : new TensorType(t[1].DType, s);
    }

    public override Tensor Evaluate(IReadOnlyList<Tensor> inputs)
    {
        var (c, a, b) = (inputs[0], inputs[1], inputs[2]);
        var shape = Broadcast.Sizes(a.Shape, b.Shape) is { } ab ? Broadcast.Sizes(c.Shape, ab) : null;
        if (shape is null) throw new VoxTileException($"shapes {c.ShapeString}, {a.ShapeString} and {b.ShapeString} do not broadcast");
        var y = new Tensor(shape);
        var sc = Broadcast.Strides(c.Shape, shape);
        var sa = Broadcast.Strides(a.Shape, shape);
        var sb = Broadcast.Strides(b.Shape, shape);
        int rank = shape.Length;
        for (long i = 0; i < y.Length; i++)
        {
            long rem = i, oc = 0, oa = 0, ob = 0;
            for (int d = rank - 1; d >= 0; d--)
            {
                long idx = rem % shape[d];
                rem /= shape[d];
                oc += idx * sc[d];
                oa += idx * sa[d];
                ob += idx * sb[d];
            }
            y.Data[i] = c.Data[oc] != 0f ? a.Data[oa] : b.Data[ob];
        }
        return y;
    }
}
