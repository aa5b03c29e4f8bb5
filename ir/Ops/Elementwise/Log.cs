using System.Numerics;

namespace VoxTile.IR.Ops.Elementwise;

/// <summary>Natural logarithm.</summary>
[Op("nn.log", "input")]
public sealed partial class Log : UnaryOp
{
    public override float Apply(float x) => MathF.Log(x);
}
