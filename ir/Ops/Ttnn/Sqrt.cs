using System.Numerics;

namespace VoxTile.IR.Ops.Ttnn;

/// <summary><c>ttnn.sqrt</c>: square root.</summary>
[Op("ttnn.sqrt", "input_tensor")]
[Kernel("vt_unary", "VT_UNARY_OP_SQRT")]
public sealed partial class Sqrt : TtnnUnaryOp
{
    public override float Apply(float x) => MathF.Sqrt(x);
    protected override Vector<float>? ApplyVector(Vector<float> x) => Vector.SquareRoot(x);
}
