using System.Numerics;

namespace VoxTile.IR.Ops.Ttnn;

/// <summary><c>ttnn.multiply</c>: a · b, broadcasting.</summary>
[Op("ttnn.multiply", "input_tensor_a", "input_tensor_b")]
[Kernel("vt_binary", "VT_BINARY_OP_MUL")]
public sealed partial class Multiply : TtnnBinaryOp
{
    public override float Apply(float a, float b) => a * b;
    protected override Vector<float> ApplyVector(Vector<float> a, Vector<float> b) => a * b;
}
