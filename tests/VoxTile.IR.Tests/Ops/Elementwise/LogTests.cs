using VoxTile.IR.Ops.Elementwise;
using VoxTile.IR.Tests.Support;

namespace VoxTile.IR.Tests.Ops.Elementwise;

public sealed class LogTests : UnaryOpTests
{
    protected override Op Instance => new Log();
    protected override (Node Node, Func<double, double> Naive) Build(Node x, Rng rng) => (Nn.Log(x), v => Math.Log(v));
    protected override double Lo => 1e-4;
    protected override double Hi => 1e4;
}
