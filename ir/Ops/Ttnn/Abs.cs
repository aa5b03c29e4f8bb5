using System.Numerics;

namespace VoxTile.IR.Ops.Ttnn;

/// <summary><c>ttnn.abs</c>: |x|.</summary>
[Op("ttnn.abs", "input_tensor")]
[Kernel("vt_unary", "VT_UNARY_OP_ABS")]
public sealed partial class Abs : TtnnUnaryOp
{
    public override float Apply(float x) => MathF.Abs(x);
    protected override Vector<float>? ApplyVector(Vector<float> x) => Vector.Abs(x);
}
