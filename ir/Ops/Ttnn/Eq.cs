namespace VoxTile.IR.Ops.Ttnn;

/// <summary><c>ttnn.eq</c>: 1 where a = b, else 0, in the first operand's dtype.</summary>
[Op("ttnn.eq", "input_tensor_a", "input_tensor_b")]
[Kernel("vt_binary", "VT_BINARY_OP_EQ")]
public sealed partial class Eq : TtnnBinaryOp
{
    public override float Apply(float a, float b) => a == b ? 1f : 0f;
}
