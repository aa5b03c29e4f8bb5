namespace VoxTile.IR.Ops.Ttnn;

/// <summary><c>ttnn.log</c>: natural logarithm.</summary>
[Op("ttnn.log", "input_tensor")]
public sealed partial class Log : TtnnUnaryOp
{
    public override string Kernel => "vt_log";
    public override float Apply(float x) => MathF.Log(x);
}
