using System.Numerics;

namespace VoxTile.IR.Ops.Ttnn;

/// <summary><c>ttnn.ceil</c>: round up to an integer.</summary>
[Op("ttnn.ceil", "input_tensor")]
[Kernel("vt_unary", "VT_UNARY_OP_CEIL")]
public sealed partial class Ceil : TtnnUnaryOp
{
    public override float Apply(float x) => MathF.Ceiling(x);
    protected override Vector<float>? ApplyVector(Vector<float> x) => Vector.Ceiling(x);
}
