using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using VoxTile.IR;
using VoxTile.IR.Ops.Constant;
using VoxTile.IR.Ops.Elementwise;
using VoxTile.IR.Ops.Index;
using VoxTile.IR.Ops.Reduce;

namespace VoxTile.Models.Tests.MeloTTS.Ops;

/// <summary>The nn ops MeloTTS added (embedding, softmax, reduce_sum, where, clamp, arange) against naive definitions.</summary>
public sealed class MeloOpTests
{
    private static readonly Gen<int[]> SmallShapes = Gen.Choose(1, 4).ArrayOf().Where(a => a.Length is >= 1 and <= 4);

    [Property(MaxTest = 60)]
    public Property SoftmaxRowsArePositiveSumToOneAndFollowTheDefinition() => Prop.ForAll(SmallShapes.ToArbitrary(), Gen.Choose(0, 1000).ToArbitrary(), (shape, seed) =>
    {
        int axis = seed % shape.Length;
        var x = OpHarness.Random(shape, seed, scale: 30);
        var y = OpHarness.Run(n => Nn.Softmax(n[0], axis: axis), x);
        ForEachLine(shape, axis, (start, stride, len) =>
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
    public void SoftmaxGivesExactZerosToMaskedScores()
    {
        // An attention row with masked keys (−1e4) must give them exactly zero, so padded frames cannot leak.
        var x = new Tensor([1, 4], [3f, -1e4f, 40f, -1e4f]);
        var y = OpHarness.Run(n => Nn.Softmax(n[0]), x);
        Assert.Equal(0f, y.Data[1]);
        Assert.Equal(0f, y.Data[3]);
    }

    [Property(MaxTest = 60)]
    public Property ReduceSumAddsAlongTheAxis() => Prop.ForAll(SmallShapes.ToArbitrary(), Gen.Choose(0, 1000).ToArbitrary(), Gen.Elements(true, false).ToArbitrary(), (shape, seed, keep) =>
    {
        int axis = seed % shape.Length;
        var x = OpHarness.Random(shape, seed);
        var y = OpHarness.Run(n => Nn.ReduceSum(n[0], axis, keepDims: keep), x);
        var expected = shape.ToList();
        if (keep) expected[axis] = 1; else expected.RemoveAt(axis);
        Assert.Equal(expected, y.Shape);
        int line = 0;
        ForEachLine(shape, axis, (start, stride, len) =>
        {
            double s = 0;
            for (int i = 0; i < len; i++) s += x.Data[start + i * stride];
            Assert.Equal((float)s, y.Data[line++]);
        });
    });

    [Fact]
    public void WhereSelectsWithBroadcastingAndIgnoresTheOtherBranch()
    {
        var cond = new Tensor([1, 3], [1, 0, 1]);
        var a = new Tensor([2, 1], [float.NaN, 5]);
        var b = new Tensor([2, 3], [0, 1, 2, 3, 4, 5]);
        var y = OpHarness.Run(n => Nn.Where(n[0], n[1], n[2]), cond, a, b);
        Assert.Equal([2, 3], y.Shape);
        Assert.True(float.IsNaN(y.Data[0]));
        Assert.Equal([1f, float.NaN, 5f, 4f, 5f], y.Data.Skip(1).Select(v => v));
        var z = OpHarness.Run(n => Nn.Where(n[0], n[1], n[2]), new Tensor([3], [0, 0, 0]), a, b);
        Assert.Equal(b.Data, z.Data);
    }

    [Fact]
    public void WhereRejectsShapesThatDoNotBroadcast()
    {
        var r = new Where().InferType([TensorType.F32(3), TensorType.F32(2), TensorType.F32(2)]);
        Assert.False(r.Ok);
        Assert.Contains("do not broadcast", r.Error);
    }

    [Fact]
    public void ClampBoundsAndKeepsNaN()
    {
        var y = OpHarness.Run(n => Nn.Clamp(n[0], min: -5f, max: 5f), new Tensor([5], [-7, -5, 0.5f, 9, float.NaN]));
        Assert.Equal([-5f, -5f, 0.5f, 5f], y.Data.Take(4));
        Assert.True(float.IsNaN(y.Data[4]));
        // Both bounds default to no bound, and infinities print and parse back.
        Assert.Equal([-7f], OpHarness.Run(n => Nn.Clamp(n[0]), new Tensor([1], [-7])).Data);
    }

    [Fact]
    public void ArangeCountsFromStart()
    {
        Assert.Equal([0f, 1f, 2f, 3f], OpHarness.Run(_ => Nn.Arange(4)).Data);
        Assert.Equal([2f, 3f], OpHarness.Run(_ => Nn.Arange(4, start: 2)).Data);
        Assert.Empty(OpHarness.Run(_ => Nn.Arange(0)).Data);
        Assert.Contains("below start", new Arange { Start = 3, End = 2 }.InferType([]).Error);
    }

    [Fact]
    public void EmbeddingCopiesRows()
    {
        var table = new Tensor([3, 2], [0, 1, 10, 11, 20, 21]);
        var y = OpHarness.Run(n => Nn.Embedding(n[0], n[1]), new Tensor([1, 4], [2, 0, 1, 2]), table);
        Assert.Equal([1, 4, 2], y.Shape);
        Assert.Equal([20f, 21f, 0f, 1f, 10f, 11f, 20f, 21f], y.Data);
    }

    [Theory]
    [InlineData(3f)]
    [InlineData(-1f)]
    [InlineData(1.5f)]
    public void EmbeddingRefusesIdsOutsideTheTable(float id)
    {
        var e = Assert.Throws<VoxTileException>(() => OpHarness.Run(n => Nn.Embedding(n[0], n[1]), new Tensor([1], [id]), new Tensor([3, 2])));
        Assert.Contains("outside the table's 3 rows", e.Message);
    }

    [Fact]
    public void EmbeddingNeedsAFixedTable()
    {
        var r = new Embedding().InferType([TensorType.F32(1, 4), TensorType.F32(3)]);
        Assert.Contains("fixed [V, H]", r.Error);
        Assert.False(new ReduceSum { Axis = 3 }.InferType([TensorType.F32(1, 2)]).Ok);
        Assert.False(new Softmax { Axis = -3 }.InferType([TensorType.F32(1, 2)]).Ok);
    }

    /// <summary>Calls <paramref name="f"/>(start, stride, length) for every line of a row-major tensor along <paramref name="axis"/>, in output order.</summary>
    private static void ForEachLine(int[] shape, int axis, Action<long, long, int> f)
    {
        long outer = 1, inner = 1;
        for (int i = 0; i < axis; i++) outer *= shape[i];
        for (int i = axis + 1; i < shape.Length; i++) inner *= shape[i];
        for (long o = 0; o < outer; o++)
            for (long q = 0; q < inner; q++) f(o * shape[axis] * inner + q, inner, shape[axis]);
    }
}
