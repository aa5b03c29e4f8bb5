using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using VoxTile.Kernels.Tests.Support;
using VoxTile.Runtime.Native;

namespace VoxTile.Kernels.Tests;

/// <summary>cumsum, softmax and layer_norm along one dim, fp32, on random shapes.</summary>
public sealed unsafe class ReduceTests
{
    public ReduceTests() => KernelSetup.Ensure();

    public sealed record LineCase(int[] Shape, int Dim, bool Reverse, int Seed);

    private static readonly Gen<LineCase> Cases =
        from rank in Gen.Choose(1, 4)
        from shape in Gen.Choose(1, 12).ArrayOf(rank)
        from dim in Gen.Choose(0, rank - 1)
        from reverse in Gen.Elements(false, true)
        from seed in Gen.Choose(0, int.MaxValue - 1)
        select new LineCase(shape, dim, reverse, seed);

    /// <summary>Applies <paramref name="f"/> to every line along <paramref name="dim"/> of a dense tensor.</summary>
    private static double[] Lines(float[] x, int[] shape, int dim, Func<double[], double[]> f)
    {
        var y = new double[x.Length];
        int inner = shape.Skip(dim + 1).Aggregate(1, (a, b) => a * b), n = shape[dim], outer = x.Length / (inner * n);
        for (var o = 0; o < outer; o++)
            for (var i = 0; i < inner; i++)
            {
                var line = Enumerable.Range(0, n).Select(j => (double)x[(o * n + j) * inner + i]).ToArray();
                var r = f(line);
                for (var j = 0; j < r.Length; j++) y[(o * n + j) * inner + i] = r[j];
            }
        return y;
    }

    [Property(MaxTest = 50)]
    public Property CumsumSoftmaxAndLayerNormMatchTheReference() => Prop.ForAll(Cases.ToArbitrary(), c =>
    {
        var x = new Rng(c.Seed).Uniform(c.Shape.Aggregate(1, (a, b) => a * b), -3, 3);
        var shape = c.Shape.Select(d => (long)d).ToArray();
        using var xt = NTensor.Of(x, shape, VtDtype.F32);
        using var yt = NTensor.Empty(shape, VtDtype.F32);

        VtNative.Cumsum(xt.Ptr, c.Dim, c.Reverse ? 1 : 0, yt.Ptr).ThrowIfFailed();
        var want = Lines(x, c.Shape, c.Dim, l =>
        {
            var r = new double[l.Length];
            double acc = 0;
            if (c.Reverse) for (var j = l.Length - 1; j >= 0; j--) r[j] = acc += l[j];
            else for (var j = 0; j < l.Length; j++) r[j] = acc += l[j];
            return r;
        });
        Assert.All(yt.Read().Zip(want), p => Assert.True(Math.Abs(p.First - p.Second) <= 1e-4, $"cumsum {p.First} vs {p.Second}"));

        VtNative.Softmax(xt.Ptr, c.Dim, yt.Ptr).ThrowIfFailed();
        want = Lines(x, c.Shape, c.Dim, l =>
        {
            var m = l.Max();
            var e = l.Select(v => Math.Exp(v - m)).ToArray();
            var s = e.Sum();
            return [.. e.Select(v => v / s)];
        });
        Assert.All(yt.Read().Zip(want), p => Assert.True(Math.Abs(p.First - p.Second) <= 1e-6, $"softmax {p.First} vs {p.Second}"));

        var last = c.Shape[^1];
        var gamma = new Rng(c.Seed + 1).Uniform(last, 0.5f, 2);
        var beta = new Rng(c.Seed + 2).Uniform(last, -1, 1);
        using var gt = NTensor.Of(gamma, last);
        using var bt = NTensor.Of(beta, last);
        VtNative.LayerNorm(xt.Ptr, gt.Ptr, bt.Ptr, 1e-5f, yt.Ptr).ThrowIfFailed();
        var rows = x.Length / last;
        var y = yt.Read();
        for (var r = 0; r < rows; r++)
        {
            var line = x.Skip(r * last).Take(last).Select(v => (double)v).ToArray();
            double mean = line.Average(), var = line.Select(v => (v - mean) * (v - mean)).Average();
            for (var j = 0; j < last; j++)
            {
                var w = (line[j] - mean) / Math.Sqrt(var + 1e-5) * gamma[j] + beta[j];
                Assert.True(Math.Abs(y[r * last + j] - w) <= 1e-4 * (1 + Math.Abs(w)), $"layer_norm {y[r * last + j]} vs {w}");
            }
        }
    });

    [Property(MaxTest = 40)]
    public Property ReduceKeepsOrDropsTheDim() => Prop.ForAll(Cases.ToArbitrary(), c =>
    {
        var x = new Rng(c.Seed).Uniform(c.Shape.Aggregate(1, (a, b) => a * b), -3, 3);
        using var xt = NTensor.Of(x, [.. c.Shape.Select(d => (long)d)], VtDtype.F32);
        var keep = c.Reverse; // reuse the case's flag
        long[] yshape = keep
            ? [.. c.Shape.Select((d, i) => i == c.Dim ? 1L : d)]
            : [.. c.Shape.Where((_, i) => i != c.Dim).Select(d => (long)d)];
        using var yt = NTensor.Empty(yshape, VtDtype.F32);
        foreach (var op in Enum.GetValues<VtReduceOp>())
        {
            VtNative.Reduce(op, xt.Ptr, c.Dim, yt.Ptr).ThrowIfFailed();
            var want = Lines(x, c.Shape, c.Dim, l => [op switch
            {
                VtReduceOp.Sum => l.Sum(),
                VtReduceOp.Mean => l.Average(),
                VtReduceOp.Max => l.Max(),
                _ => l.Min(),
            }]);
            // one value per line: the lines' first slots hold the results
            int inner = c.Shape.Skip(c.Dim + 1).Aggregate(1, (a, b) => a * b), n = c.Shape[c.Dim];
            var y = yt.Read();
            for (var i = 0; i < y.Length; i++)
            {
                var w = want[i / inner * n * inner + i % inner];
                Assert.True(Math.Abs(y[i] - w) <= 1e-4 * (1 + Math.Abs(w)), $"{op} dim {c.Dim}: {y[i]} vs {w}");
            }
        }
    });
}
