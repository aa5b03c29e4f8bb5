namespace VoxTile.IR.Ops.Ttnn;

/// <summary>
/// <c>ttnn.softplus(input_tensor, *, beta=1.0, threshold=20.0)</c>: log(1 + e^(beta·x)) / beta, and x itself where
/// beta·x &gt; threshold (PyTorch's definition, which TTNN follows).
/// </summary>
[Op("ttnn.softplus", "input_tensor")]
[Kernel("vt_unary", "VT_UNARY_OP_SOFTPLUS")]
public sealed partial class Softplus : TtnnUnaryOp
{
    [Attr] public float Beta { get; init; } = 1f;
    [Attr] public float Threshold { get; init; } = 20f;

    protected override DType[] DTypes => [DType.BF16, DType.BFP8_B];

    public override float Apply(float x)
    {
        double bx = (double)Beta * x;
        if (bx > Threshold) return x;
        double sp = bx > 0 ? bx + Math.Log(1.0 + Math.Exp(-bx)) : Math.Log(1.0 + Math.Exp(bx)); // no overflow for any threshold
        return (float)(sp / Beta);
    }

    public override TypeResult InferType(IReadOnlyList<TensorType> inputs) =>
        Beta == 0 || !float.IsFinite(Beta) ? TypeResult.Fail($"beta must be finite and non-zero, got {Beta}") : base.InferType(inputs);
}
