using VoxTile.IR.Ops.Elementwise;
using VoxTile.IR.Tests.Support;

namespace VoxTile.IR.Tests.Ops.Elementwise;

public sealed class MulTests : BinaryOpTests
{
    protected override Op Instance => new Mul();
    protected override Node Build(Node a, Node b) => Nn.Mul(a, b);
    protected override double Naive(double a, double b) => a * b;
}
