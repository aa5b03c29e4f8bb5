namespace VoxTile.IR.Ops.Ttnn;

/// <summary><c>ttnn.rsqrt</c>: 1 / √x (the normaliser of a layer norm built from reductions).</summary>
[Op("ttnn.rsqrt", "input_tensor")]
[Kernel("vt_unary", "VT_UNARY_OP_RSQRT")]
public sealed partial class Rsqrt : TtnnUnaryOp
{
    public override float Apply(float x) => (float)(1.0 / Math.Sqrt(x));
}
