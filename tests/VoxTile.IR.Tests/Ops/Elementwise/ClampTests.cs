using VoxTile.IR.Ops.Elementwise;
using VoxTile.IR.Tests.Support;

namespace VoxTile.IR.Tests.Ops.Elementwise;

public sealed class ClampTests : UnaryOpTests
{
    protected override Op Instance => new Clamp();
    protected override double RelTol => 0;
    protected override double AbsTol => 0;

    /// <summary>torch.clamp: min(max(x, min), max), either bound optional.</summary>
    protected override (Node Node, Func<double, double> Naive) Build(Node x, Rng rng)
    {
        float lo = (float)Math.Round(rng.Uniform(-6, 2), 1), hi = lo + (float)Math.Round(rng.Uniform(0, 6), 1);
        return rng.Int(0, 3) switch
        {
            0 => (Nn.Clamp(x, min: lo, max: hi), v => Math.Min(Math.Max(v, lo), hi)),
            1 => (Nn.Clamp(x, min: hi + 1, max: lo), v => Math.Min(Math.Max(v, hi + 1), lo)), // min above max: everything is max
            2 => (Nn.Clamp(x, min: lo), v => Math.Max(v, lo)),
            _ => (Nn.Clamp(x, max: hi), v => Math.Min(v, hi)),
        };
    }

    [Fact]
    public void AMinAboveTheMaxGivesTheMaxEverywhere()
    {
        var y = OneNode.Run(n => Nn.Clamp(n[0], min: 2f, max: 1f), new Tensor([3], [0, 1.5f, 3]));
        Assert.Equal([1f, 1f, 1f], y.Data);
    }

    [Fact]
    public void NaNStaysNaN()
    {
        var y = OneNode.Run(n => Nn.Clamp(n[0], min: 0f, max: 1f), new Tensor([3], [float.NaN, -5, 5]));
        Assert.True(float.IsNaN(y.Data[0]));
        Assert.Equal([0f, 1f], y.Data[1..]);
    }
}
