using System.Numerics;

namespace VoxTile.IR.Ops.Elementwise;

/// <summary>x².</summary>
[Op("nn.square", "input")]
public sealed partial class Square : UnaryOp
{
    public override float Apply(float x) => x * x;
    protected override Vector<float>? ApplyVector(Vector<float> x) => x * x;
}
