namespace VoxTile.IR.Ops.Ttnn;

/// <summary><c>ttnn.lt</c>: 1 where a &lt; b, else 0, in the first operand's dtype.</summary>
[Op("ttnn.lt", "input_tensor_a", "input_tensor_b")]
[Kernel("vt_binary", "VT_BINARY_OP_LT")]
public sealed partial class Lt : TtnnBinaryOp
{
    public override float Apply(float a, float b) => a < b ? 1f : 0f;
}
