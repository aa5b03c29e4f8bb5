using VoxTile.IR.Ops.Elementwise;
using VoxTile.IR.Tests.Support;

namespace VoxTile.IR.Tests.Ops.Elementwise;

public sealed class CeilTests : UnaryOpTests
{
    protected override Op Instance => new Ceil();
    protected override (Node Node, Func<double, double> Naive) Build(Node x, Rng rng) => (Nn.Ceil(x), v => Math.Ceiling(v));
    protected override double Lo => -20;
    protected override double Hi => 20;
    protected override double RelTol => 0;
    protected override double AbsTol => 0;
}
