namespace VoxTile.IR.Ops.Ttnn;

/// <summary>
/// <c>ttnn.typecast(input_tensor, dtype)</c>: the same values stored as <c>dtype</c>. The reference stays fp32:
/// a float target is the identity here (the native runtime rounds to bf16/bfp8 later); an integer target truncates
/// toward zero and saturates like TTNN's SFPU cast (u32: negatives give 0, too large gives 2³²−1; i32: ±(2³¹−1)
/// at the ends), NaN gives 0.
/// </summary>
[Op("ttnn.typecast", "input_tensor")]
[Kernel("vt_typecast")]
public sealed partial class Typecast : Op, ITtnnOp
{
    [Attr] public required TtnnDataType Dtype { get; init; }

    public override TypeResult InferType(IReadOnlyList<TensorType> t)
    {
        var target = Dtype.ToDType();
        if (target.IsBlockFloat() && t[0].Layout == IR.Layout.RowMajor)
            return TypeResult.Fail($"{target.Name()} exists only in TILE layout, the input is ROW_MAJOR: {t[0]}");
        return new TensorType(target, t[0].Shape);
    }

    public override Tensor Evaluate(IReadOnlyList<Tensor> inputs)
    {
        var x = inputs[0];
        var target = Dtype.ToDType();
        if (target.IsFloat()) return x;
        var y = new Tensor((int[])x.Shape.Clone());
        for (long i = 0; i < x.Length; i++)
        {
            double v = Math.Truncate(x.Data[i]);
            y.Data[i] = double.IsNaN(v) ? 0f
                : target == DType.U32 ? (float)Math.Clamp(v, 0, uint.MaxValue)
                : (float)Math.Clamp(v, -int.MaxValue, int.MaxValue);
        }
        return y;
    }

    public IReadOnlyList<OperandRequirement> OperandRequirements => [OperandRequirement.Device("input_tensor", LayoutRequirement.Any, true)];

    public long WorkingSetBytes(IReadOnlyList<TensorType> inputs, TensorType output) => TtnnWorkingSet.Streaming(inputs, output);
}
