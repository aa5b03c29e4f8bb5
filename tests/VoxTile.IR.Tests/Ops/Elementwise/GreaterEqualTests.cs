using VoxTile.IR.Ops.Elementwise;
using VoxTile.IR.Tests.Support;

namespace VoxTile.IR.Tests.Ops.Elementwise;

public sealed class GreaterEqualTests : BinaryOpTests
{
    protected override Op Instance => new GreaterEqual();
    protected override Node Build(Node a, Node b) => Nn.GreaterEqual(a, b);
    protected override double Naive(double a, double b) => a >= b ? 1 : 0;
    protected override double RelTol => 0;
}
