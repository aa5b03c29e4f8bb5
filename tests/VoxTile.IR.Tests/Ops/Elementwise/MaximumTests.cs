using VoxTile.IR.Ops.Elementwise;
using VoxTile.IR.Tests.Support;

namespace VoxTile.IR.Tests.Ops.Elementwise;

public sealed class MaximumTests : BinaryOpTests
{
    protected override Op Instance => new Maximum();
    protected override Node Build(Node a, Node b) => Nn.Maximum(a, b);
    protected override double Naive(double a, double b) => Math.Max(a, b);
    protected override double RelTol => 0;
}
