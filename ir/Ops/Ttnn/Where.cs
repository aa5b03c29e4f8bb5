namespace VoxTile.IR.Ops.Ttnn;

/// <summary>
/// <c>ttnn.where(predicate, true_value, false_value)</c>: true_value where the predicate is non-zero, else
/// false_value; all three broadcast (NumPy rules). The result has true_value's dtype.
/// </summary>
[Op("ttnn.where", "predicate", "true_value", "false_value")]
[Kernel("vt_where")]
public sealed partial class Where : Op, ITtnnOp
{
    public override TypeResult InferType(IReadOnlyList<TensorType> t)
    {
        if (t[1].DType.IsFloat() != t[2].DType.IsFloat()) return TypeResult.Fail($"true_value and false_value mix float and integer: {t[1]} and {t[2]}");
        if (t.Any(x => x.Rank > TtnnBinaryOp.MaxRank)) return TypeResult.Fail($"operands of rank above {TtnnBinaryOp.MaxRank} do not broadcast on the device");
        var s = Broadcast.Shapes(t[0].Shape, t[1].Shape);
        s = s is null ? null : Broadcast.Shapes(s, t[2].Shape);
        return s is null ? TypeResult.Fail($"shapes {t[0].Shape}, {t[1].Shape} and {t[2].Shape} do not broadcast") : new TensorType(t[1].DType, s);
    }

    public override Tensor Evaluate(IReadOnlyList<Tensor> inputs)
    {
        Tensor p = inputs[0], a = inputs[1], b = inputs[2];
        var shape = Broadcast.Sizes(p.Shape, a.Shape) is { } pa ? Broadcast.Sizes(pa, b.Shape) : null;
        if (shape is null) throw new VoxTileException($"shapes {p.ShapeString}, {a.ShapeString} and {b.ShapeString} do not broadcast");
        var y = new Tensor(shape);
        long[] sp = Broadcast.Strides(p.Shape, shape), sa = Broadcast.Strides(a.Shape, shape), sb = Broadcast.Strides(b.Shape, shape);
        var idx = new int[shape.Length];
        long op = 0, oa = 0, ob = 0;
        for (long i = 0; i < y.Length; i++)
        {
            y.Data[i] = p.Data[op] != 0f ? a.Data[oa] : b.Data[ob];
            for (int d = shape.Length - 1; d >= 0; d--) // odometer step: the offsets follow the index
            {
                op += sp[d]; oa += sa[d]; ob += sb[d];
                if (++idx[d] < shape[d]) break;
                op -= sp[d] * shape[d]; oa -= sa[d] * shape[d]; ob -= sb[d] * shape[d];
                idx[d] = 0;
            }
        }
        return y;
    }

    public IReadOnlyList<OperandRequirement> OperandRequirements =>
    [
        OperandRequirement.Device("predicate", LayoutRequirement.Tile, true, DType.BF16, DType.BFP8_B, DType.F32, DType.I32),
        OperandRequirement.Device("true_value", LayoutRequirement.Tile, true, DType.BF16, DType.BFP8_B, DType.F32, DType.I32),
        OperandRequirement.Device("false_value", LayoutRequirement.Tile, true, DType.BF16, DType.BFP8_B, DType.F32, DType.I32),
    ];

    public long WorkingSetBytes(IReadOnlyList<TensorType> inputs, TensorType output) => TtnnWorkingSet.Streaming(inputs, output);
}
