using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using VoxTile.IR;
using VoxTile.Models.Checkpoints;

namespace VoxTile.Models.Tests.Checkpoints;

public sealed class WeightNormTests
{
    /// <summary>The textbook formula, element by element: W[o, ...] = g[o] · v[o, ...] / sqrt(Σ v[o, ...]²).</summary>
    internal static float[] Naive(Tensor g, Tensor v)
    {
        int rows = v.Shape[0];
        int cols = (int)(v.Length / rows);
        var w = new float[v.Length];
        for (int o = 0; o < rows; o++)
        {
            double ss = 0;
            for (int i = 0; i < cols; i++) ss += (double)v.Data[o * cols + i] * v.Data[o * cols + i];
            for (int i = 0; i < cols; i++) w[o * cols + i] = (float)(g.Data[o] * (double)v.Data[o * cols + i] / Math.Sqrt(ss));
        }
        return w;
    }

    [Fact]
    public void FoldsPerSliceAlongAxisZero()
    {
        // Row 0 is a 3-4-0-0 vector (norm 5), row 1 has norm 1.
        var v = new Tensor([2, 2, 2], [3, 4, 0, 0, 0, 0, 0, -1]);
        var g = new Tensor([2, 1, 1], [10, 2]);

        var w = WeightNorm.Fold(g, v);

        Assert.Equal([2, 2, 2], w.Shape);
        Assert.Equal([6f, 8f, 0f, 0f, 0f, 0f, 0f, -2f], w.Data);
    }

    [Fact]
    public void TransposedConvWeightsAreNormalisedPerInputChannel()
    {
        // ConvTranspose1d stores [in, out, k]; g is [in, 1, 1], so each input channel's [out, k] slice gets unit norm · g.
        var v = new Tensor([3, 2, 4], Enumerable.Range(1, 24).Select(i => (float)i).ToArray());
        var g = new Tensor([3, 1, 1], [1, 1, 1]);

        var w = WeightNorm.Fold(g, v);

        for (int c = 0; c < 3; c++)
            Assert.Equal(1.0, w.Data.Skip(c * 8).Take(8).Sum(x => (double)x * x), 6);
    }

    [Fact]
    public void ZeroVectorGivesNaNLikeTorch()
    {
        var w = WeightNorm.Fold(new Tensor([1], [1]), new Tensor([1, 2], [0, 0]));
        Assert.All(w.Data, x => Assert.True(float.IsNaN(x)));
    }

    [Fact]
    public void RejectsMismatchedG()
    {
        var e = Assert.Throws<VoxTileException>(() => WeightNorm.Fold(new Tensor([3, 1, 1]), new Tensor([2, 2, 1])));
        Assert.Contains("[3,1,1]", e.Message);
    }

    [Property(MaxTest = 100)]
    public Property MatchesTheNaiveFormula() => Prop.ForAll(
        (from rows in Gen.Choose(1, 5)
         from rest in Gen.ArrayOf(Gen.Choose(1, 4), 2)
         from v in Gen.ArrayOf(Gen.Choose(-1000, 1000).Select(i => i / 37f), rows * rest[0] * rest[1])
         from g in Gen.ArrayOf(Gen.Choose(-500, 500).Select(i => i / 13f), rows)
         where v.Any(x => x != 0)
         select (new Tensor([rows, 1, 1], g), new Tensor([rows, rest[0], rest[1]], v))).ToArbitrary(),
        c =>
        {
            var (g, v) = c;
            var zeroRow = Enumerable.Range(0, v.Shape[0]).Any(o => v.Data.Skip(o * (int)(v.Length / v.Shape[0])).Take((int)(v.Length / v.Shape[0])).All(x => x == 0));
            var w = WeightNorm.Fold(g, v).Data;
            var n = Naive(g, v);
            return zeroRow || w.SequenceEqual(n);
        });
}
