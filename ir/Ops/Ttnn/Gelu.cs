namespace VoxTile.IR.Ops.Ttnn;

/// <summary><c>ttnn.gelu</c> with TTNN's default <c>fast_and_approximate_mode=False</c>: exact GELU, x·Φ(x) through the error function.</summary>
[Op("ttnn.gelu", "input_tensor")]
[Kernel("vt_unary", "VT_UNARY_OP_GELU")]
public sealed partial class Gelu : TtnnUnaryOp
{
    public override float Apply(float x) => (float)(0.5 * x * (1.0 + Elementwise.Erf.Of(x / Math.Sqrt(2.0))));
}
