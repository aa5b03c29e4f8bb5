using System.Numerics;

namespace VoxTile.IR.Ops.Ttnn;

/// <summary><c>ttnn.add</c>: a + b, broadcasting.</summary>
[Op("ttnn.add", "input_tensor_a", "input_tensor_b")]
[Kernel("vt_binary", "VT_BINARY_OP_ADD")]
public sealed partial class Add : TtnnBinaryOp
{
    public override float Apply(float a, float b) => a + b;
    protected override Vector<float> ApplyVector(Vector<float> a, Vector<float> b) => a + b;
}
