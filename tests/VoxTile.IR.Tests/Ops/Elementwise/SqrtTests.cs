using VoxTile.IR.Ops.Elementwise;
using VoxTile.IR.Tests.Support;

namespace VoxTile.IR.Tests.Ops.Elementwise;

public sealed class SqrtTests : UnaryOpTests
{
    protected override Op Instance => new Sqrt();
    protected override (Node Node, Func<double, double> Naive) Build(Node x, Rng rng) => (Nn.Sqrt(x), v => Math.Sqrt(v));
    protected override double Lo => 0;
    protected override double Hi => 100;
}
