using VoxTile.IR.Ops.Elementwise;
using VoxTile.IR.Tests.Support;

namespace VoxTile.IR.Tests.Ops.Elementwise;

public sealed class SubTests : BinaryOpTests
{
    protected override Op Instance => new Sub();
    protected override Node Build(Node a, Node b) => Nn.Sub(a, b);
    protected override double Naive(double a, double b) => a - b;
}
