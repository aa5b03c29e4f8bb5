using System.Numerics;

namespace VoxTile.IR.Ops.Elementwise;

/// <summary>x for x ≥ 0, negative_slope·x below (HiFi-GAN uses 0.1, and 0.01 before conv_post).</summary>
[Op("nn.leaky_relu", "input")]
public sealed partial class LeakyRelu : UnaryOp
{
    [Attr] public float NegativeSlope { get; init; } = 0.01f;

    public override float Apply(float x) => x >= 0 ? x : x * NegativeSlope;
    protected override Vector<float>? ApplyVector(Vector<float> x) =>
        Vector.ConditionalSelect(Vector.GreaterThanOrEqual(x, Vector<float>.Zero), x, x * NegativeSlope);
}
