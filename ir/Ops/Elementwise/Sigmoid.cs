using System.Numerics;

namespace VoxTile.IR.Ops.Elementwise;

/// <summary>1 / (1 + e^-x), computed in double so that large |x| saturates without overflow.</summary>
[Op("nn.sigmoid", "input")]
public sealed partial class Sigmoid : UnaryOp
{
    public override float Apply(float x) => (float)(1.0 / (1.0 + Math.Exp(-(double)x)));
}
