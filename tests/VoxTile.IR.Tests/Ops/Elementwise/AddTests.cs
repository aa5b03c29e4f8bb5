using VoxTile.IR.Ops.Elementwise;
using VoxTile.IR.Tests.Support;

namespace VoxTile.IR.Tests.Ops.Elementwise;

public sealed class AddTests : BinaryOpTests
{
    protected override Op Instance => new Add();
    protected override Node Build(Node a, Node b) => Nn.Add(a, b);
    protected override double Naive(double a, double b) => a + b;
}
