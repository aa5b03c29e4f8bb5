namespace VoxTile.IR.Ops.Ttnn;

/// <summary><c>ttnn.tanh</c>: hyperbolic tangent. tt-mlir keeps it in bf16 for TTNN's accurate mode (tt-metal #22593).</summary>
[Op("ttnn.tanh", "input_tensor")]
[Kernel("vt_unary", "VT_UNARY_OP_TANH")]
public sealed partial class Tanh : TtnnUnaryOp
{
    protected override DType[] DTypes => [DType.BF16];
    public override float Apply(float x) => MathF.Tanh(x);
}
