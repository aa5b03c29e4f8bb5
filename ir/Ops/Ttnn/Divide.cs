using System.Numerics;

namespace VoxTile.IR.Ops.Ttnn;

/// <summary><c>ttnn.divide</c>: a / b, broadcasting (IEEE: x/0 is ±inf, 0/0 NaN).</summary>
[Op("ttnn.divide", "input_tensor_a", "input_tensor_b")]
[Kernel("vt_binary", "VT_BINARY_OP_DIV")]
public sealed partial class Divide : TtnnBinaryOp
{
    public override float Apply(float a, float b) => a / b;
    protected override Vector<float> ApplyVector(Vector<float> a, Vector<float> b) => a / b;
}
