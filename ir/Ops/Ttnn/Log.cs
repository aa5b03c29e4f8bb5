namespace VoxTile.IR.Ops.Ttnn;

/// <summary><c>ttnn.log</c>: natural logarithm.</summary>
[Op("ttnn.log", "input_tensor")]
[Kernel("vt_unary", "VT_UNARY_OP_LOG")]
public sealed partial class Log : TtnnUnaryOp
{
    public override float Apply(float x) => MathF.Log(x);
}
