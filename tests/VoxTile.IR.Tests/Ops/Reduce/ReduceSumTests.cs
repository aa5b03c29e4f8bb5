using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using VoxTile.IR.Ops.Reduce;
using VoxTile.IR.Tests.Support;

namespace VoxTile.IR.Tests.Ops.Reduce;

public sealed class ReduceSumTests
{
    /// <summary>Σ along one axis, accumulated in double, the axis kept as 1 or dropped.</summary>
    [Property(MaxTest = 60)]
    public Property AddsAlongTheAxis() => Prop.ForAll(Lines.SmallShapes.ToArbitrary(), Gen.Choose(0, 1000).ToArbitrary(), Gen.Elements(true, false).ToArbitrary(), (shape, seed, keep) =>
    {
        int axis = seed % shape.Length;
        var x = new Rng(seed).Uniform(-1, 1, shape);
        var y = OneNode.Run(n => Nn.ReduceSum(n[0], axis, keepDims: keep), x);
        var expected = shape.ToList();
        if (keep) expected[axis] = 1; else expected.RemoveAt(axis);
        Assert.Equal(expected, y.Shape);
        int line = 0;
        Lines.ForEach(shape, axis, (start, stride, len) =>
        {
            double s = 0;
            for (int i = 0; i < len; i++) s += x.Data[start + i * stride];
            Assert.Equal((float)s, y.Data[line++]);
        });
    });

    [Fact]
    public void RejectsAnAxisOutsideTheRank() => Assert.False(new ReduceSum { Axis = 3 }.InferType([TensorType.F32(1, 2)]).Ok);
}
