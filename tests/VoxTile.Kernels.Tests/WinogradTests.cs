using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using VoxTile.Kernels.Tests.Support;
using VoxTile.Runtime.Native;

namespace VoxTile.Kernels.Tests;

/// <summary>
/// vt_conv1d's Winograd F(m, K) through the bindings, on random shapes and data in every ISA variant this CPU has,
/// against the fp64 reference of the same bf16-rounded operands, within the bound the header states:
/// |error| ≤ γ(Cin + 2α + 4) · K(m, K) · Σ_c max_k |w| · max_l |x|, γ(n) = nu / (1 − nu), u = 2⁻²⁴ (α roundings in
/// each transform, one in the transformed weights, Cin in the channel sum; K is how much the transforms amplify them).
/// </summary>
public sealed unsafe class WinogradTests
{
    public WinogradTests() => KernelSetup.Ensure();

    /// <summary>The tiles vt_conv1d has per kernel size.</summary>
    private static readonly Dictionary<int, int[]> Tiles = new() { [3] = [2, 4, 6], [5] = [2, 4, 6], [7] = [2, 4, 6], [11] = [2, 4, 6] };

    public sealed record Case(int N, int L, int Cin, int Cout, int K, int M, int Dilation, int PadLeft, int PadRight, bool Bias,
        VtDtype Math, int Seed);

    private static readonly Gen<Case> Cases =
        from seed in Gen.Choose(0, int.MaxValue - 1)
        select Make(new Rng(seed), seed);

    private static Case Make(Rng r, int seed)
    {
        int k = r.Pick([3, 5, 7, 11]), m = r.Pick(Tiles[k]), d = r.Bool() ? 1 : r.Int(2, 5);
        int span = d * (k - 1) + 1, pl = r.Int(0, span - 1), pr = r.Int(0, span - 1);
        int l = Math.Max(1, span - pl - pr + r.Int(0, 60));
        if (l + pl + pr < span) pr += span - (l + pl + pr);
        return new Case(r.Int(1, 2), l, r.Int(32, 200), r.Int(1, 70), k, m, d, pl, pr, r.Bool(),
            r.Bool() ? VtDtype.Bf16 : VtDtype.F32, seed);
    }

    [Property(MaxTest = 25)]
    public Property WinogradIsWithinItsErrorBoundInEveryVariant() => Prop.ForAll(Cases.ToArbitrary(), c =>
    {
        var r = new Rng(c.Seed);
        var x = r.Uniform(c.N * c.L * c.Cin, -1, 1);
        var w = r.Uniform(c.Cout * c.Cin * c.K, -1, 1).Select(v => v / MathF.Sqrt(c.Cin * c.K)).ToArray();
        var b = r.Uniform(c.Cout, -0.5f, 0.5f);
        int lout = c.L + c.PadLeft + c.PadRight - c.Dilation * (c.K - 1);
        var p = new VtConv1dParams
        {
            Stride = 1, Dilation = c.Dilation, PadLeft = c.PadLeft, PadRight = c.PadRight,
            Algorithm = VtConv1dAlgorithm.Winograd, WinogradM = c.M,
        };
        bool bf16 = c.Math == VtDtype.Bf16;
        var (want, _) = Reference.Conv1d(x, c.N, c.L, c.Cin, w, c.Cout, c.K, 1, c.Bias ? b : null, null, p, bf16);
        // Σ_c max_k |w[o][c][k]| · max_l |x[l][c]| per item and output channel, on the rounded operands
        float R(float v) => bf16 ? Formats.Bf16(v) : v;
        var scale = new double[c.N * c.Cout];
        for (var n = 0; n < c.N; n++)
            for (var o = 0; o < c.Cout; o++)
                for (var ci = 0; ci < c.Cin; ci++)
                {
                    double wmax = 0, xmax = 0;
                    for (var kk = 0; kk < c.K; kk++) wmax = Math.Max(wmax, Math.Abs(R(w[(o * c.Cin + ci) * c.K + kk])));
                    for (var l = 0; l < c.L; l++) xmax = Math.Max(xmax, Math.Abs(R(x[(n * c.L + l) * c.Cin + ci])));
                    scale[n * c.Cout + o] += wmax * xmax;
                }
        double u = Math.ScaleB(1, -24), ops = c.Cin + 2.0 * (c.M + c.K - 1) + 4, gamma = ops * u / (1 - ops * u);
        double factor = VtNative.WinogradErrorFactor(c.M, c.K);
        Assert.True(factor > 0, $"F({c.M}, {c.K}) has no error factor");
        KernelSetup.ForEachIsa(isa =>
        {
            using var xt = NTensor.Of(x, [c.N, c.L, c.Cin], VtDtype.F32);
            using var yt = NTensor.Empty([c.N, lout, c.Cout], VtDtype.F32);
            using var bt = NTensor.Of(b, c.Cout);
            using var wt = NTensor.Of(w, [c.Cout, c.Cin, c.K], VtDtype.F32);
            using var weights = WeightsHandle.Create(*wt.Ptr, 1, c.Math);
            var q = p;
            VtNative.Conv1d(xt.Ptr, weights.Pointer, c.Bias ? bt.Ptr : null, null, &q, yt.Ptr).ThrowIfFailed();
            var got = yt.Read();
            for (var i = 0; i < got.Length; i++)
            {
                int n = i / (lout * c.Cout), o = i % c.Cout;
                double bound = gamma * factor * scale[n * c.Cout + o] + 2 * u * (Math.Abs(want[i]) + (c.Bias ? Math.Abs(b[o]) : 0));
                Assert.True(Math.Abs(got[i] - want[i]) <= bound,
                    $"{isa} {c}: y[{i}] = {got[i]:G9}, want {want[i]:G9}, bound {bound:G3}");
            }
        });
    });

    /// <summary>
    /// FASTEST reaches the kernel from C#: on a shape the speed table gives to Winograd (256 channels, K 7) it differs
    /// from direct in the last bits, and on a grouped conv (direct only) it is direct bit for bit.
    /// </summary>
    [Fact]
    public void FastestPicksWinogradWhereTheTableSaysAndDirectElsewhere()
    {
        var r = new Rng(7);
        var x = r.Uniform(1 * 80 * 256, -1, 1);
        var w = r.Uniform(256 * 256 * 7, -0.05f, 0.05f);
        float[] RunWith(VtConv1dAlgorithm algorithm, int groups)
        {
            using var xt = NTensor.Of(x, [1, 80, 256], VtDtype.F32);
            using var yt = NTensor.Empty([1, 80, 256], VtDtype.F32);
            using var wt = NTensor.Of(w[..(256 * (256 / groups) * 7)], [256, 256 / groups, 7], VtDtype.F32);
            using var weights = WeightsHandle.Create(*wt.Ptr, groups, VtDtype.Bf16);
            var p = new VtConv1dParams { Stride = 1, Dilation = 1, PadLeft = 3, PadRight = 3, Algorithm = algorithm };
            VtNative.Conv1d(xt.Ptr, weights.Pointer, null, null, &p, yt.Ptr).ThrowIfFailed();
            return yt.Read();
        }
        KernelSetup.Ensure();
        var was = VtNative.GetIsa();
        foreach (var isa in new[] { VtIsa.Avx2, VtIsa.Avx512 }.Where(KernelLibrary.Supports))
        {
            KernelLibrary.UseIsa(isa);
            Assert.NotEqual(RunWith(VtConv1dAlgorithm.Direct, 1), RunWith(VtConv1dAlgorithm.Fastest, 1));
            Assert.Equal(RunWith(VtConv1dAlgorithm.Direct, 2), RunWith(VtConv1dAlgorithm.Fastest, 2));
        }
        KernelLibrary.UseIsa(was);
    }
}
