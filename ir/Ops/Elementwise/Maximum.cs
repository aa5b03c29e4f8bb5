using System.Numerics;

namespace VoxTile.IR.Ops.Elementwise;

/// <summary>max(a, b), broadcasting.</summary>
[Op("nn.maximum", "lhs", "rhs")]
public sealed partial class Maximum : BinaryOp
{
    public override float Apply(float a, float b) => MathF.Max(a, b);
    protected override Vector<float> ApplyVector(Vector<float> a, Vector<float> b) => Vector.Max(a, b);
}
