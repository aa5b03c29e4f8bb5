using System.Numerics;

namespace VoxTile.IR.Ops.Elementwise;

/// <summary>1 where a ≥ b, else 0.</summary>
[Op("nn.ge", "lhs", "rhs")]
public sealed partial class GreaterEqual : BinaryOp
{
    public override float Apply(float a, float b) => a >= b ? 1f : 0f;
}
