using System.Numerics;

namespace VoxTile.IR.Ops.Elementwise;

/// <summary>e^x.</summary>
[Op("nn.exp", "input")]
public sealed partial class Exp : UnaryOp
{
    public override float Apply(float x) => MathF.Exp(x);
}
