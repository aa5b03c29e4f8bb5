using VoxTile.IR.Ops.Elementwise;
using VoxTile.IR.Tests.Support;

namespace VoxTile.IR.Tests.Ops.Elementwise;

public sealed class SquareTests : UnaryOpTests
{
    protected override Op Instance => new Square();
    protected override (Node Node, Func<double, double> Naive) Build(Node x, Rng rng) => (Nn.Square(x), v => v * v);
    protected override double Lo => -100;
    protected override double Hi => 100;
}
