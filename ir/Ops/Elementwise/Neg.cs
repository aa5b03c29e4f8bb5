using System.Numerics;

namespace VoxTile.IR.Ops.Elementwise;

/// <summary>-x.</summary>
[Op("nn.neg", "input")]
public sealed partial class Neg : UnaryOp
{
    public override float Apply(float x) => -x;
    protected override Vector<float>? ApplyVector(Vector<float> x) => -x;
}
