using VoxTile.IR.Ops.Elementwise;
using VoxTile.IR.Tests.Support;

namespace VoxTile.IR.Tests.Ops.Elementwise;

public sealed class NegTests : UnaryOpTests
{
    protected override Op Instance => new Neg();
    protected override (Node Node, Func<double, double> Naive) Build(Node x, Rng rng) => (Nn.Neg(x), v => -v);
}
