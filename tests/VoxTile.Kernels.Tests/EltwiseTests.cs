using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using VoxTile.Kernels.Tests.Support;
using VoxTile.Runtime.Native;

namespace VoxTile.Kernels.Tests;

/// <summary>Unary ops (fp32 math, one rounding at the store), binary ops with broadcasting, where.</summary>
public sealed unsafe class EltwiseTests
{
    public EltwiseTests() => KernelSetup.Ensure();

    private static double Unary(VtUnaryOp op, float p, double x) => op switch
    {
        VtUnaryOp.Relu => Math.Max(x, 0),
        VtUnaryOp.LeakyRelu => x < 0 ? p * x : x,
        VtUnaryOp.Tanh => Math.Tanh(x),
        VtUnaryOp.Sigmoid => 1 / (1 + Math.Exp(-x)),
        VtUnaryOp.Exp => Math.Exp(x),
        VtUnaryOp.Sqrt => Math.Sqrt(x),
        VtUnaryOp.Gelu => 0.5 * x * (1 + Erf(x / Math.Sqrt(2))),
        VtUnaryOp.Log => Math.Log(x),
        VtUnaryOp.Neg => -x,
        VtUnaryOp.Ceil => Math.Ceiling(x),
        VtUnaryOp.Reciprocal => 1 / x,
        VtUnaryOp.Abs => Math.Abs(x),
        VtUnaryOp.Floor => Math.Floor(x),
        VtUnaryOp.Rsqrt => 1 / Math.Sqrt(x),
        VtUnaryOp.Erf => Erf(x),
        VtUnaryOp.Silu => x / (1 + Math.Exp(-x)),
        VtUnaryOp.Softplus => x > 20 ? x : Math.Log(1 + Math.Exp(x)),
        VtUnaryOp.Square => x * x,
        VtUnaryOp.MulScalar => p * x,
        VtUnaryOp.AddScalar => x + p,
        _ => throw new ArgumentOutOfRangeException(nameof(op)),
    };

    /// <summary>erf to ~1e-12 (Abramowitz–Stegun 7.1.26 is too coarse; a series/continued fraction pair is enough here).</summary>
    private static double Erf(double x)
    {
        var ax = Math.Abs(x);
        double r;
        if (ax < 2.5)
        {
            double sum = ax, term = ax;
            for (var n = 1; n < 60; n++)
            {
                term *= -ax * ax / n;
                sum += term / (2 * n + 1);
            }
            r = 2 / Math.Sqrt(Math.PI) * sum;
        }
        else
        {
            double f = 0;
            for (var n = 60; n >= 1; n--) f = n / 2.0 / (ax + f);
            r = 1 - Math.Exp(-ax * ax) / Math.Sqrt(Math.PI) / (ax + f);
        }
        return x < 0 ? -r : r;
    }

    public static TheoryData<VtUnaryOp> UnaryOps() => [.. Enum.GetValues<VtUnaryOp>()];

    [Theory]
    [MemberData(nameof(UnaryOps))]
    public void UnaryMatchesTheReference(VtUnaryOp op)
    {
        var positive = op is VtUnaryOp.Sqrt or VtUnaryOp.Log or VtUnaryOp.Rsqrt or VtUnaryOp.Reciprocal;
        var x = new Rng((int)op).Uniform(3000, -6, 6).Select(v => positive ? MathF.Abs(v) + 0.01f : v).ToArray();
        foreach (var dt in new[] { VtDtype.F32, VtDtype.Bf16 })
        {
            using var xt = NTensor.Of(x, [30, 100], dt);
            using var yt = NTensor.Empty([30, 100], dt);
            var xs = xt.Read();
            KernelSetup.ForEachIsa(isa =>
            {
                VtNative.Unary(op, 0.3f, xt.Ptr, yt.Ptr).ThrowIfFailed();
                var y = yt.Read();
                for (var i = 0; i < y.Length; i++)
                {
                    var want = Unary(op, 0.3f, xs[i]);
                    var tol = (dt == VtDtype.Bf16 ? 1.0 / 128 : 2e-6) * Math.Abs(want) + 1e-6;
                    Assert.True(Math.Abs(y[i] - want) <= tol, $"{op} {dt} {isa}: f({xs[i]}) = {y[i]}, want {want}");
                }
            });
        }
    }

    public sealed record BinaryCase(VtBinaryOp Op, int[] Out, bool[] ABroadcast, bool[] BBroadcast, int BRank, VtDtype OutDtype, int Seed);

    private static readonly Gen<BinaryCase> BinaryCases =
        from op in Gen.Elements(Enum.GetValues<VtBinaryOp>())
        from d0 in Gen.Choose(1, 4)
        from d1 in Gen.Choose(1, 9)
        from d2 in Gen.Choose(1, 40)
        from ab in Gen.Elements(false, false, true).ArrayOf(3)
        from bb in Gen.Elements(false, false, true).ArrayOf(3)
        from brank in Gen.Choose(1, 3)
        from dt in Gen.Elements(VtDtype.F32, VtDtype.Bf16)
        from seed in Gen.Choose(0, int.MaxValue - 1)
        select new BinaryCase(op, [d0, d1, d2], ab, bb, brank, dt, seed);

    private static double Binary(VtBinaryOp op, double a, double b) => op switch
    {
        VtBinaryOp.Add => a + b,
        VtBinaryOp.Sub => a - b,
        VtBinaryOp.Mul => a * b,
        VtBinaryOp.Div => a / b,
        VtBinaryOp.Maximum => Math.Max(a, b),
        VtBinaryOp.Minimum => Math.Min(a, b),
        VtBinaryOp.Pow => Math.Pow(a, b),
        VtBinaryOp.Lt => a < b ? 1 : 0,
        VtBinaryOp.Le => a <= b ? 1 : 0,
        VtBinaryOp.Gt => a > b ? 1 : 0,
        VtBinaryOp.Ge => a >= b ? 1 : 0,
        VtBinaryOp.Eq => a == b ? 1 : 0,
        _ => a != b ? 1 : 0,
    };

    [Property(MaxTest = 60)]
    public Property BinaryBroadcastsLikeNumpy() => Prop.ForAll(BinaryCases.ToArbitrary(), c =>
    {
        var r = new Rng(c.Seed);
        var aShape = c.Out.Select((d, i) => c.ABroadcast[i] ? 1L : d).ToArray();
        var bShape = c.Out.Select((d, i) => c.BBroadcast[i] ? 1L : d).Skip(3 - c.BRank).ToArray();
        // small half-integers: comparisons meet ties, sums stay exact; pow gets a positive base
        float Value(bool positive) => positive ? r.Int(1, 8) * 0.5f : r.Int(-4, 4) * 0.5f + (c.Op == VtBinaryOp.Div ? 0.25f : 0);
        var a = Enumerable.Range(0, (int)aShape.Aggregate(1L, (x, y) => x * y)).Select(_ => Value(c.Op == VtBinaryOp.Pow)).ToArray();
        var b = Enumerable.Range(0, (int)bShape.Aggregate(1L, (x, y) => x * y)).Select(_ => Value(false)).ToArray();
        using var at = NTensor.Of(a, aShape, VtDtype.F32);
        using var bt = NTensor.Of(b, bShape, VtDtype.F32);
        using var yt = NTensor.Empty([.. c.Out.Select(d => (long)d)], c.OutDtype);
        VtNative.Binary(c.Op, at.Ptr, bt.Ptr, yt.Ptr).ThrowIfFailed();
        var y = yt.Read();
        for (var i = 0; i < c.Out[0]; i++)
            for (var j = 0; j < c.Out[1]; j++)
                for (var k = 0; k < c.Out[2]; k++)
                {
                    var av = a[((c.ABroadcast[0] ? 0 : i) * aShape[1] + (c.ABroadcast[1] ? 0 : j)) * aShape[2] + (c.ABroadcast[2] ? 0 : k)];
                    long bo = 0;
                    int[] idx = [i, j, k];
                    for (var d = 3 - c.BRank; d < 3; d++) bo = bo * bShape[d - (3 - c.BRank)] + (c.BBroadcast[d] ? 0 : idx[d]);
                    var want = Formats.Stored((float)Binary(c.Op, av, b[bo]), c.OutDtype);
                    Assert.Equal(want, y[(i * c.Out[1] + j) * c.Out[2] + k], 5);
                }
    });

    [Fact]
    public void WhereBroadcastsTheCondition()
    {
        float[] cond = [1, 0, 1, 0, 0];
        var a = Enumerable.Range(0, 15).Select(i => (float)i).ToArray();
        var b = a.Select(v => -v).ToArray();
        using var ct = NTensor.Of(cond, 1, 5);
        using var at = NTensor.Of(a, 3, 5);
        using var bt = NTensor.Of(b, 3, 5);
        using var yt = NTensor.Empty([3, 5], VtDtype.Bf16);
        VtNative.Where(ct.Ptr, at.Ptr, bt.Ptr, yt.Ptr).ThrowIfFailed();
        Assert.Equal(Enumerable.Range(0, 15).Select(i => cond[i % 5] != 0 ? a[i] : b[i]), yt.Read());
    }
}
