using System.Numerics;

namespace VoxTile.IR.Ops.Elementwise;

/// <summary>1 where a < b, else 0 (masks and the alignment path compare in fp32).</summary>
[Op("nn.lt", "lhs", "rhs")]
public sealed partial class Less : BinaryOp
{
    public override float Apply(float a, float b) => a < b ? 1f : 0f;
}
