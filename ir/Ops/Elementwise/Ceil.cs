using System.Numerics;

namespace VoxTile.IR.Ops.Elementwise;

/// <summary>Round up to an integer (MeloTTS durations).</summary>
[Op("nn.ceil", "input")]
public sealed partial class Ceil : UnaryOp
{
    public override float Apply(float x) => MathF.Ceiling(x);
    protected override Vector<float>? ApplyVector(Vector<float> x) => Vector.Ceiling(x);
}
