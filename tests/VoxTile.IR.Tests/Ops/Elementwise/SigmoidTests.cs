using VoxTile.IR.Ops.Elementwise;
using VoxTile.IR.Tests.Support;

namespace VoxTile.IR.Tests.Ops.Elementwise;

public sealed class SigmoidTests : UnaryOpTests
{
    protected override Op Instance => new Sigmoid();
    protected override (Node Node, Func<double, double> Naive) Build(Node x, Rng rng) => (Nn.Sigmoid(x), v => 1 / (1 + Math.Exp(-v)));
    protected override double Lo => -40;
    protected override double Hi => 40;
}
