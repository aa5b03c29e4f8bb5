namespace VoxTile.IR.Ops.Elementwise;

/// <summary>min(max(x, min), max) (torch.clamp); NaN stays NaN.</summary>
[Op("nn.clamp", "input")]
public sealed partial class Clamp : UnaryOp
{
    [Attr] public float Min { get; init; } = float.NegativeInfinity;
    [Attr] public float Max { get; init; } = float.PositiveInfinity;

    // max applied last, so that a min above the max gives the max everywhere, as torch.clamp does.
    public override float Apply(float x) => float.IsNaN(x) ? x : MathF.Min(MathF.Max(x, Min), Max);
}
