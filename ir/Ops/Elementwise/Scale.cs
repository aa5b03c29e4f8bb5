using System.Numerics;

namespace VoxTile.IR.Ops.Elementwise;

/// <summary>a·x + b with constant a and b: scalings, offsets and the mean of three resblocks.</summary>
[Op("nn.scale", "input")]
public sealed partial class Scale : UnaryOp
{
    [Attr] public float Factor { get; init; } = 1f;
    [Attr] public float Offset { get; init; }

    public override float Apply(float x) => x * Factor + Offset;
    protected override Vector<float>? ApplyVector(Vector<float> x) => x * Factor + new Vector<float>(Offset);
}
