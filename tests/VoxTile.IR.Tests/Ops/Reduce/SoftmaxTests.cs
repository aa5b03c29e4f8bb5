using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using VoxTile.IR.Ops.Reduce;
using VoxTile.IR.Tests.Support;

namespace VoxTile.IR.Tests.Ops.Reduce;

public sealed class SoftmaxTests
{
    /// <summary>softmax along an axis: exp(x − max) / Σ exp(x − max), rows positive and summing to one.</summary>
    [Property(MaxTest = 60)]
    public Property MatchesTheDefinition() => Prop.ForAll(Lines.SmallShapes.ToArbitrary(), Gen.Choose(0, 1000).ToArbitrary(), (shape, seed) =>
    {
        int axis = seed % shape.Length;
        var x = new Rng(seed).Uniform(-30, 30, shape);
        var y = OneNode.Run(n => Nn.Softmax(n[0], axis: axis), x);
        Lines.ForEach(shape, axis, (start, stride, len) =>
        {
            double max = double.NegativeInfinity, sum = 0;
            for (int i = 0; i < len; i++) max = Math.Max(max, x.Data[start + i * stride]);
            for (int i = 0; i < len; i++) sum += Math.Exp(x.Data[start + i * stride] - max);
            double total = 0;
            for (int i = 0; i < len; i++)
            {
                double want = Math.Exp(x.Data[start + i * stride] - max) / sum, got = y.Data[start + i * stride];
                // fp32 exp of x − max: a relative error of a few ulps of the argument.
                Assert.True(Math.Abs(got - want) <= 1e-5 * want + 1e-7, $"softmax {got} vs {want}");
                total += got;
            }
            Assert.Equal(1.0, total, 5);
        });
    });

    [Fact]
    public void MaskedScoresGetExactZeros()
    {
        // An attention row with masked keys (−1e4) must give them exactly zero, so padded frames cannot leak.
        var y = OneNode.Run(n => Nn.Softmax(n[0]), new Tensor([1, 4], [3f, -1e4f, 40f, -1e4f]));
        Assert.Equal(0f, y.Data[1]);
        Assert.Equal(0f, y.Data[3]);
    }

    [Fact]
    public void RejectsAnAxisOutsideTheRank() => Assert.False(new Softmax { Axis = -3 }.InferType([TensorType.F32(1, 2)]).Ok);
}
