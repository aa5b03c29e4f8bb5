using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using VoxTile.IR.Ops.Constant;
using VoxTile.IR.Tests.Support;

namespace VoxTile.IR.Tests.Ops.Constant;

public sealed class ArangeTests
{
    /// <summary>torch.arange(start, end): start, start + 1, …, end − 1.</summary>
    [Property(MaxTest = 60)]
    public Property CountsFromStartToEnd() => Prop.ForAll(Gen.Choose(-50, 50).ToArbitrary(), Gen.Choose(0, 60).ToArbitrary(), (start, count) =>
    {
        var y = OneNode.Run(_ => Nn.Arange(start: start, end: start + count));
        Near.Exact(y, [count], [.. Enumerable.Range(start, count).Select(i => (double)i)], $"arange({start}, {start + count})");
    });

    [Fact]
    public void RejectsAnEndBelowTheStart() =>
        Assert.Contains("below", BadType.Expect(new Arange { Start = 3, End = 2 }));
}
