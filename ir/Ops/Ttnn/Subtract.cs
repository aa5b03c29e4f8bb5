using System.Numerics;

namespace VoxTile.IR.Ops.Ttnn;

/// <summary><c>ttnn.subtract</c>: a − b, broadcasting.</summary>
[Op("ttnn.subtract", "input_tensor_a", "input_tensor_b")]
[Kernel("vt_binary", "VT_BINARY_OP_SUB")]
public sealed partial class Subtract : TtnnBinaryOp
{
    public override float Apply(float a, float b) => a - b;
    protected override Vector<float> ApplyVector(Vector<float> a, Vector<float> b) => a - b;
}
