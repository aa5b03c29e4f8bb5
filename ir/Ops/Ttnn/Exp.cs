namespace VoxTile.IR.Ops.Ttnn;

/// <summary><c>ttnn.exp</c>: e^x.</summary>
[Op("ttnn.exp", "input_tensor")]
[Kernel("vt_unary", "VT_UNARY_OP_EXP")]
public sealed partial class Exp : TtnnUnaryOp
{
    public override float Apply(float x) => MathF.Exp(x);
}
