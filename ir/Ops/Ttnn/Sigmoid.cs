namespace VoxTile.IR.Ops.Ttnn;

/// <summary><c>ttnn.sigmoid</c>: 1 / (1 + e^-x), in double so that large |x| saturates.</summary>
[Op("ttnn.sigmoid", "input_tensor")]
[Kernel("vt_unary", "VT_UNARY_OP_SIGMOID")]
public sealed partial class Sigmoid : TtnnUnaryOp
{
    protected override DType[] DTypes => [DType.BF16];
    public override float Apply(float x) => (float)(1.0 / (1.0 + Math.Exp(-(double)x)));
}
