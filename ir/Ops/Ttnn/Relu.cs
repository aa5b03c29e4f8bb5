using System.Numerics;

namespace VoxTile.IR.Ops.Ttnn;

/// <summary><c>ttnn.relu</c>: max(x, 0).</summary>
[Op("ttnn.relu", "input_tensor")]
[Kernel("vt_unary", "VT_UNARY_OP_RELU")]
public sealed partial class Relu : TtnnUnaryOp
{
    public override float Apply(float x) => x > 0 ? x : 0;
    protected override Vector<float>? ApplyVector(Vector<float> x) => Vector.Max(x, Vector<float>.Zero);
}
