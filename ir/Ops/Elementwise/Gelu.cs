using System.Numerics;

namespace VoxTile.IR.Ops.Elementwise;

/// <summary>Exact GELU, x·Φ(x) with the error function (MeloTTS DDSConv).</summary>
[Op("nn.gelu", "input")]
public sealed partial class Gelu : UnaryOp
{
    public override float Apply(float x) => (float)(0.5 * x * (1.0 + Erf.Of(x / Math.Sqrt(2.0))));
}
