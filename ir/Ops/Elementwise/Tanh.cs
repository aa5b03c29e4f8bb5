using System.Numerics;

namespace VoxTile.IR.Ops.Elementwise;

/// <summary>Hyperbolic tangent.</summary>
[Op("nn.tanh", "input")]
public sealed partial class Tanh : UnaryOp
{
    public override float Apply(float x) => MathF.Tanh(x);
}
