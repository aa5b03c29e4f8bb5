namespace VoxTile.IR.Ops.Ttnn;

/// <summary><c>ttnn.ge</c>: 1 where a ≥ b, else 0, in the first operand's dtype.</summary>
[Op("ttnn.ge", "input_tensor_a", "input_tensor_b")]
[Kernel("vt_binary", "VT_BINARY_OP_GE")]
public sealed partial class Ge : TtnnBinaryOp
{
    public override float Apply(float a, float b) => a >= b ? 1f : 0f;
}
