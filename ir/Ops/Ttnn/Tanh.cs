namespace VoxTile.IR.Ops.Ttnn;

/// <summary><c>ttnn.tanh</c>: hyperbolic tangent. tt-mlir keeps it in bf16 for TTNN's accurate mode (tt-metal #22593).</summary>
[Op("ttnn.tanh", "input_tensor")]
public sealed partial class Tanh : TtnnUnaryOp
{
    protected override DType[] DTypes => [DType.BF16];
    public override string Kernel => "vt_tanh";
    public override float Apply(float x) => MathF.Tanh(x);
}
