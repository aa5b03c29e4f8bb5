using VoxTile.IR.Ops.Elementwise;
using VoxTile.IR.Tests.Support;

namespace VoxTile.IR.Tests.Ops.Elementwise;

public sealed class DivTests : BinaryOpTests
{
    protected override Op Instance => new Div();
    protected override Node Build(Node a, Node b) => Nn.Div(a, b);
    protected override double Naive(double a, double b) => a / b;

    protected override float DrawRhs(Rng rng, bool integers) =>
        (rng.Bool() ? 1 : -1) * (integers ? rng.Int(1, 3) : (float)rng.Uniform(0.25, 4));
}
