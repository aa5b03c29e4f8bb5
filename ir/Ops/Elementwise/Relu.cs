using System.Numerics;

namespace VoxTile.IR.Ops.Elementwise;

/// <summary>max(x, 0).</summary>
[Op("nn.relu", "input")]
public sealed partial class Relu : UnaryOp
{
    public override float Apply(float x) => x > 0 ? x : 0;
    protected override Vector<float>? ApplyVector(Vector<float> x) => Vector.Max(x, Vector<float>.Zero);
}
