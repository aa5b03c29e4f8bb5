using VoxTile.IR.Ops.Elementwise;
using VoxTile.IR.Tests.Support;

namespace VoxTile.IR.Tests.Ops.Elementwise;

public sealed class ScaleTests : UnaryOpTests
{
    private float _factor, _offset;

    protected override Op Instance => new Scale();

    protected override (Node Node, Func<double, double> Naive) Build(Node x, Rng rng)
    {
        float factor = _factor = rng.Pick([1f, -1f, 0.5f, (float)rng.Uniform(-3, 3), 1.0f / 3]);
        float offset = _offset = rng.Pick([0f, 0.1f, -1e4f, (float)rng.Uniform(-3, 3)]);
        return (Nn.Scale(x, factor: factor, offset: offset), v => (double)factor * v + offset);
    }

    // a·x + b rounds twice in fp32 (once when fused), so the error is relative to the larger term, not to the sum.
    protected override double Bound(double x, double expected) => 1.2e-7 * (Math.Abs(_factor * x) + Math.Abs(_offset) + Math.Abs(expected));

    [Fact]
    public void DefaultsAreTheIdentity()
    {
        var y = OneNode.Run(n => Nn.Scale(n[0]), new Tensor([3], [1.5f, -2f, 0f]));
        Assert.Equal([1.5f, -2f, 0f], y.Data);
    }
}
