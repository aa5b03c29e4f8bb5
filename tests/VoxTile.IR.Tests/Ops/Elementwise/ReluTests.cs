using VoxTile.IR.Ops.Elementwise;
using VoxTile.IR.Tests.Support;

namespace VoxTile.IR.Tests.Ops.Elementwise;

public sealed class ReluTests : UnaryOpTests
{
    protected override Op Instance => new Relu();
    protected override (Node Node, Func<double, double> Naive) Build(Node x, Rng rng) => (Nn.Relu(x), v => v > 0 ? v : 0);
}
