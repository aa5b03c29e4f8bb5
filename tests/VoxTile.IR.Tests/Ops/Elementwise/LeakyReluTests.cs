using VoxTile.IR.Ops.Elementwise;
using VoxTile.IR.Tests.Support;

namespace VoxTile.IR.Tests.Ops.Elementwise;

public sealed class LeakyReluTests : UnaryOpTests
{
    protected override Op Instance => new LeakyRelu();

    protected override (Node Node, Func<double, double> Naive) Build(Node x, Rng rng)
    {
        float slope = rng.Pick([0.1f, 0.01f, 0.2f, (float)rng.Uniform(0, 1), 1.5f]);
        return (Nn.LeakyRelu(x, negativeSlope: slope), v => v >= 0 ? v : (double)slope * v);
    }

    [Fact]
    public void DefaultSlopeIsPyTorchs()
    {
        Assert.Equal(0.01f, new LeakyRelu().NegativeSlope);
        var y = OneNode.Run(n => Nn.LeakyRelu(n[0]), new Tensor([2], [-100f, 3f]));
        Assert.Equal([-1f, 3f], y.Data);
    }
}
