namespace VoxTile.IR.Ops.Ttnn;

/// <summary><c>ttnn.exp</c>: e^x.</summary>
[Op("ttnn.exp", "input_tensor")]
public sealed partial class Exp : TtnnUnaryOp
{
    public override string Kernel => "vt_exp";
    public override float Apply(float x) => MathF.Exp(x);
}
