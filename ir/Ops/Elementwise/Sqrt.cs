using System.Numerics;

namespace VoxTile.IR.Ops.Elementwise;

/// <summary>Square root.</summary>
[Op("nn.sqrt", "input")]
public sealed partial class Sqrt : UnaryOp
{
    public override float Apply(float x) => MathF.Sqrt(x);
    protected override Vector<float>? ApplyVector(Vector<float> x) => Vector.SquareRoot(x);
}
