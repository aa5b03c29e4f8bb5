using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using VoxTile.IR.Ops.Constant;
using VoxTile.IR.Tests.Support;

namespace VoxTile.IR.Tests.Ops.Constant;

public sealed class FullTests
{
    [Property(MaxTest = 40)]
    public Property IsItsValueEverywhere() => Prop.ForAll(
        Gen.Choose(0, 5).ArrayOf().Where(a => a.Length <= 4).ToArbitrary(), Gen.Elements(0f, 1f, -1e4f, 0.1f, float.NaN).ToArbitrary(), (shape, value) =>
    {
        var y = OneNode.Run(_ => Nn.Full(value: value, shape: shape));
        Near.Exact(y, shape, [.. Enumerable.Repeat((double)value, (int)Tensor.Count(shape))], $"full {Nd.Show(shape)} {value}");
    });

    [Fact]
    public void RejectsANegativeSize()
    {
        Assert.Contains("negative", BadType.Expect(new Full { Shape = [2, -1], Value = 0 }));
    }
}
