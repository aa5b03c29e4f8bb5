using System.Numerics;

namespace VoxTile.IR.Ops.Elementwise;

/// <summary>a − b, broadcasting.</summary>
[Op("nn.sub", "lhs", "rhs")]
public sealed partial class Sub : BinaryOp
{
    public override float Apply(float a, float b) => a - b;
    protected override Vector<float> ApplyVector(Vector<float> a, Vector<float> b) => a - b;
}
