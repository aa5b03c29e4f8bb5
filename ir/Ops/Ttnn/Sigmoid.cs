namespace VoxTile.IR.Ops.Ttnn;

/// <summary><c>ttnn.sigmoid</c>: 1 / (1 + e^-x), in double so that large |x| saturates.</summary>
[Op("ttnn.sigmoid", "input_tensor")]
public sealed partial class Sigmoid : TtnnUnaryOp
{
    protected override DType[] DTypes => [DType.BF16];
    public override string Kernel => "vt_sigmoid";
    public override float Apply(float x) => (float)(1.0 / (1.0 + Math.Exp(-(double)x)));
}
