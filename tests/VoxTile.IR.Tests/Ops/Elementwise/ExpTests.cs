using VoxTile.IR.Ops.Elementwise;
using VoxTile.IR.Tests.Support;

namespace VoxTile.IR.Tests.Ops.Elementwise;

public sealed class ExpTests : UnaryOpTests
{
    protected override Op Instance => new Exp();
    protected override (Node Node, Func<double, double> Naive) Build(Node x, Rng rng) => (Nn.Exp(x), v => Math.Exp(v));
    protected override double Lo => -30;
    protected override double Hi => 30;
    protected override double AbsTol => 0;
}
