using System.Numerics;

namespace VoxTile.IR.Ops.Ttnn;

/// <summary><c>ttnn.leaky_relu(input_tensor, negative_slope)</c>: x for x ≥ 0, negative_slope·x below. TTNN has no default slope.</summary>
[Op("ttnn.leaky_relu", "input_tensor")]
[Kernel("vt_unary", "VT_UNARY_OP_LEAKY_RELU")]
public sealed partial class LeakyRelu : TtnnUnaryOp
{
    [Attr] public required float NegativeSlope { get; init; }

    public override float Apply(float x) => x >= 0 ? x : x * NegativeSlope;
    protected override Vector<float>? ApplyVector(Vector<float> x) =>
        Vector.ConditionalSelect(Vector.GreaterThanOrEqual(x, Vector<float>.Zero), x, x * NegativeSlope);
}
