namespace VoxTile.IR.Ops.Ttnn;

/// <summary><c>ttnn.gt</c>: 1 where a &gt; b, else 0, in the first operand's dtype.</summary>
[Op("ttnn.gt", "input_tensor_a", "input_tensor_b")]
[Kernel("vt_binary", "VT_BINARY_OP_GT")]
public sealed partial class Gt : TtnnBinaryOp
{
    public override float Apply(float a, float b) => a > b ? 1f : 0f;
}
