using VoxTile.IR.Ops.Elementwise;
using VoxTile.IR.Tests.Support;

namespace VoxTile.IR.Tests.Ops.Elementwise;

public sealed class TanhTests : UnaryOpTests
{
    protected override Op Instance => new Tanh();
    protected override (Node Node, Func<double, double> Naive) Build(Node x, Rng rng) => (Nn.Tanh(x), v => Math.Tanh(v));
}
