using System.Numerics;

namespace VoxTile.IR.Ops.Elementwise;

/// <summary>log(1 + e^x), stable for large |x|.</summary>
[Op("nn.softplus", "input")]
public sealed partial class Softplus : UnaryOp
{
    public override float Apply(float x) => x > 20 ? x : (float)Math.Log(1.0 + Math.Exp(x));
}
