using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using VoxTile.Kernels.Tests.Support;
using VoxTile.Runtime.Native;

namespace VoxTile.Kernels.Tests;

/// <summary>conv1d (with its fused input activation, bias, activation, gate and residual), conv2d and matmul on random
/// shapes: every ISA variant against the fp64 reference, and every SIMD variant against the portable one.</summary>
public sealed unsafe class ConvTests
{
    public ConvTests() => KernelSetup.Ensure();

    public sealed record Conv1dCase(int N, int L, int Cin, int Cout, int K, int Stride, int Dilation, int PadLeft, int PadRight,
        int Groups, VtActivation InputActivation, VtActivation Activation, bool Bias, bool Residual, VtDtype Math, VtDtype Io,
        VtDtype WeightDtype, int Seed);

    private static readonly Gen<Conv1dCase> Conv1dCases =
        from seed in Gen.Choose(0, int.MaxValue - 1)
        select MakeCase(new Rng(seed), seed);

    private static Conv1dCase MakeCase(Rng r, int seed)
    {
        int groups = r.Int(0, 4) == 0 ? r.Int(2, 4) : 1, cing = r.Int(1, 40), coutg = r.Int(1, 70);
        if (r.Int(0, 5) == 0) { cing = 1; coutg = r.Int(1, 2); groups = r.Int(2, 24); } // depthwise
        int k = r.Int(1, 11), stride = r.Int(0, 3) == 0 ? r.Int(2, 3) : 1, dil = r.Int(0, 2) == 0 ? r.Int(2, 5) : 1;
        int span = dil * (k - 1) + 1, pl = r.Int(0, span - 1), pr = r.Int(0, span - 1);
        int l = Math.Max(1, span - pl - pr + r.Int(0, 100));
        if (l + pl + pr < span) pr += span - (l + pl + pr);
        var act = (VtActivation)r.Int(0, 5);
        if (act == VtActivation.GatedTanhSigmoid && (groups != 1 || coutg % 2 != 0)) act = VtActivation.Tanh;
        return new Conv1dCase(r.Int(1, 2), l, cing * groups, coutg * groups, k, stride, dil, pl, pr, groups,
            (VtActivation)r.Int(0, 2), act, r.Bool(), r.Bool(), r.Bool() ? VtDtype.Bf16 : VtDtype.F32,
            r.Bool() ? VtDtype.Bf16 : VtDtype.F32, r.Int(0, 3) == 0 ? r.Pick([VtDtype.Bf16, VtDtype.Bfp8B, VtDtype.Bfp4B]) : VtDtype.F32, seed);
    }

    private static VtConv1dParams Params(Conv1dCase c) => new()
    {
        Stride = c.Stride, Dilation = c.Dilation, PadLeft = c.PadLeft, PadRight = c.PadRight,
        InputActivation = c.InputActivation, InputSlope = 0.1f, Activation = c.Activation, Slope = 0.2f,
    };

    /// <summary>Runs the case on the current variant; returns the output and the reference (computed on the stored operands).</summary>
    private static (float[] Got, double[] Want, double[] Magnitude) Run(Conv1dCase c, bool reference = true)
    {
        var r = new Rng(c.Seed);
        int cing = c.Cin / c.Groups;
        int lout = (c.L + c.PadLeft + c.PadRight - c.Dilation * (c.K - 1) - 1) / c.Stride + 1;
        int co = c.Activation == VtActivation.GatedTanhSigmoid ? c.Cout / 2 : c.Cout;
        var x = r.Uniform(c.N * c.L * c.Cin, -1, 1);
        var w = r.Uniform(c.Cout * cing * c.K, -1, 1).Select(v => v / MathF.Sqrt(cing * c.K)).ToArray();
        var b = r.Uniform(c.Cout, -0.5f, 0.5f);
        var res = r.Uniform(c.N * lout * co, -1, 1);
        using var xt = NTensor.Of(x, [c.N, c.L, c.Cin], c.Io);
        using var rt = NTensor.Of(res, [c.N, lout, co], c.Io);
        using var yt = NTensor.Empty([c.N, lout, co], c.Io);
        using var bt = NTensor.Of(b, c.Cout);
        // block-float weights are the [Cout, Cin/g * K] matrix in tiles
        var tiled = c.WeightDtype is VtDtype.Bfp8B or VtDtype.Bfp4B;
        using var wt = tiled
            ? NTensor.Of(w, [c.Cout, cing * c.K], c.WeightDtype, VtLayout.Tile)
            : NTensor.Of(w, [c.Cout, cing, c.K], c.WeightDtype);
        var wdesc = *wt.Ptr;
        wdesc.Rank = 3;
        wdesc.Shape[0] = c.Cout;
        wdesc.Shape[1] = cing;
        wdesc.Shape[2] = c.K;
        using var weights = WeightsHandle.Create(wdesc, c.Groups, c.Math);
        var p = Params(c);
        VtNative.Conv1d(xt.Ptr, weights.Pointer, c.Bias ? bt.Ptr : null, c.Residual ? rt.Ptr : null, &p, yt.Ptr).ThrowIfFailed();
        if (!reference) return (yt.Read(), [], []);
        var (want, mag) = Reference.Conv1d(xt.Read(), c.N, c.L, c.Cin, tiled ? ReadTiledWeights(wt, c) : wt.Read(), c.Cout, c.K, c.Groups,
            c.Bias ? b : null, c.Residual ? rt.Read() : null, p, c.Math == VtDtype.Bf16);
        return (yt.Read(), want, mag);
    }

    private static float[] ReadTiledWeights(NTensor wt, Conv1dCase c) =>
        Formats.UnpackTiles(wt.Bytes, 1, c.Cout, c.Cin / c.Groups * c.K, c.WeightDtype);

    [Property(MaxTest = 60)]
    public Property Conv1dMatchesTheReferenceInEveryVariant() => Prop.ForAll(Conv1dCases.ToArbitrary(), AllVariantsMatch);

    /// <summary>Every variant against the reference, which is computed once (on the first variant's run).</summary>
    private static void AllVariantsMatch(Conv1dCase c)
    {
        double[]? want = null, mag = null;
        KernelSetup.ForEachIsa(isa =>
        {
            var (got, w, m) = Run(c, reference: want is null);
            if (want is null) (want, mag) = (w, m);
            Reference.AssertClose(got, want, mag!, c.Io, $"{isa} {c}");
        });
    }

    /// <summary>
    /// A bias of N·Cout values is one bias per batch item (a batch's per-utterance conditioning): each item's output is
    /// bit for bit that item's conv run alone with its own bias, in every variant (gemm and depthwise paths alike).
    /// </summary>
    [Property(MaxTest = 30)]
    public Property PerItemBiasEqualsEachItemAlone() => Prop.ForAll(Conv1dCases.ToArbitrary(), c0 =>
    {
        var c = c0 with { N = 2 + c0.Seed % 2, Bias = true, Residual = false };
        var r = new Rng(c.Seed);
        int cing = c.Cin / c.Groups;
        int lout = (c.L + c.PadLeft + c.PadRight - c.Dilation * (c.K - 1) - 1) / c.Stride + 1;
        int co = c.Activation == VtActivation.GatedTanhSigmoid ? c.Cout / 2 : c.Cout;
        var x = r.Uniform(c.N * c.L * c.Cin, -1, 1);
        var w = r.Uniform(c.Cout * cing * c.K, -1, 1).Select(v => v / MathF.Sqrt(cing * c.K)).ToArray();
        var b = r.Uniform(c.N * c.Cout, -0.5f, 0.5f);
        using var wt = NTensor.Of(w, [c.Cout, cing, c.K], VtDtype.F32);
        using var weights = WeightsHandle.Create(*wt.Ptr, c.Groups, c.Math);
        KernelSetup.ForEachIsa(isa =>
        {
            var p = Params(c);
            using var xt = NTensor.Of(x, [c.N, c.L, c.Cin], c.Io);
            using var bt = NTensor.Of(b, c.N, 1, c.Cout);
            using var yt = NTensor.Empty([c.N, lout, co], c.Io);
            VtNative.Conv1d(xt.Ptr, weights.Pointer, bt.Ptr, null, &p, yt.Ptr).ThrowIfFailed();
            var batch = yt.Read();
            for (int n = 0; n < c.N; n++)
            {
                using var xi = NTensor.Of(x[(n * c.L * c.Cin)..((n + 1) * c.L * c.Cin)], [1, c.L, c.Cin], c.Io);
                using var bi = NTensor.Of(b[(n * c.Cout)..((n + 1) * c.Cout)], c.Cout);
                using var yi = NTensor.Empty([1, lout, co], c.Io);
                VtNative.Conv1d(xi.Ptr, weights.Pointer, bi.Ptr, null, &p, yi.Ptr).ThrowIfFailed();
                Assert.Equal(yi.Read(), batch[(n * lout * co)..((n + 1) * lout * co)]);
            }
        });
    });

    [Fact]
    public void ABiasOfAnotherCountIsRefused()
    {
        using var wt = NTensor.Of(new float[8 * 4 * 3], [8, 4, 3], VtDtype.F32);
        using var weights = WeightsHandle.Create(*wt.Ptr, 1, VtDtype.F32);
        using var xt = NTensor.Of(new float[2 * 10 * 4], [2, 10, 4], VtDtype.F32);
        using var bt = NTensor.Of(new float[3 * 8], 3 * 8);
        using var yt = NTensor.Empty([2, 8, 8], VtDtype.F32);
        var p = new VtConv1dParams { Stride = 1, Dilation = 1 };
        var status = VtNative.Conv1d(xt.Ptr, weights.Pointer, bt.Ptr, null, &p, yt.Ptr);
        var e = Assert.ThrowsAny<Exception>(() => status.ThrowIfFailed());
        Assert.Contains("bias has 24 values", e.Message);
    }

    [Property(MaxTest = 40)]
    public Property SimdVariantsAgreeWithPortable() => Prop.ForAll(Conv1dCases.ToArbitrary(), c =>
    {
        var (portable, _, mag) = KernelSetup.With(VtIsa.Portable, () => Run(c));
        KernelSetup.ForEachIsa(isa =>
        {
            var (got, _, _) = Run(c, reference: false);
            for (var i = 0; i < got.Length; i++)
            {
                var tol = 4e-6 * mag[i] + 1e-6 + (c.Io == VtDtype.Bf16 ? Math.Abs(portable[i]) / 128 : 0);
                Assert.True(Math.Abs(got[i] - portable[i]) <= tol, $"{isa} vs portable at {i}: {got[i]} vs {portable[i]} ({c})");
            }
        });
    });

    public static TheoryData<int, int, int> HifiGanShapes()
    {
        var d = new TheoryData<int, int, int>();
        foreach (var ch in new[] { 256, 128, 64, 32 })
            foreach (var (k, dil) in new[] { (3, 1), (7, 3), (11, 5) })
                d.Add(ch, k, dil);
        return d;
    }

    [Theory]
    [MemberData(nameof(HifiGanShapes))]
    public void HifiGanResBlockConvs(int channels, int k, int dilation)
    {
        var pad = dilation * (k - 1) / 2;
        var c = new Conv1dCase(1, 48, channels, channels, k, 1, dilation, pad, pad, 1, VtActivation.LeakyRelu, VtActivation.None,
            true, true, VtDtype.Bf16, VtDtype.Bf16, VtDtype.Bfp8B, 1234 + channels + k);
        AllVariantsMatch(c);
    }

    public sealed record MatmulCase(int Batch, int M, int K, int N, bool TransposeA, bool TransposeB, bool BatchedB, VtDtype Dtype, int Seed);

    private static readonly Gen<MatmulCase> MatmulCases =
        from batch in Gen.Choose(1, 3)
        from m in Gen.Choose(1, 40)
        from k in Gen.Choose(1, 70)
        from n in Gen.Choose(1, 50)
        from ta in Gen.Elements(false, true)
        from tb in Gen.Elements(false, true)
        from bb in Gen.Elements(false, true)
        from dt in Gen.Elements(VtDtype.F32, VtDtype.Bf16)
        from seed in Gen.Choose(0, int.MaxValue - 1)
        select new MatmulCase(batch, m, k, n, ta, tb, bb, dt, seed);

    [Property(MaxTest = 40)]
    public Property MatmulMatchesTheReference() => Prop.ForAll(MatmulCases.ToArbitrary(), c =>
    {
        var r = new Rng(c.Seed);
        var a = r.Uniform(c.Batch * c.M * c.K, -1, 1);
        var bs = c.BatchedB ? c.Batch : 1;
        var b = r.Uniform(bs * c.K * c.N, -1, 1);
        var bias = r.Uniform(c.N, -1, 1);
        using var at = NTensor.Of(a, c.TransposeA ? [c.Batch, c.K, c.M] : [c.Batch, c.M, c.K], c.Dtype);
        using var bt = c.BatchedB
            ? NTensor.Of(b, c.TransposeB ? [c.Batch, c.N, c.K] : [c.Batch, c.K, c.N], c.Dtype)
            : NTensor.Of(b, c.TransposeB ? [c.N, c.K] : [c.K, c.N], c.Dtype);
        using var biast = NTensor.Of(bias, c.N);
        using var yt = NTensor.Empty([c.Batch, c.M, c.N], VtDtype.F32);
        var p = new VtMatmulParams { TransposeA = c.TransposeA ? 1 : 0, TransposeB = c.TransposeB ? 1 : 0 };
        var av = at.Read();
        var bv = bt.Read();
        KernelSetup.ForEachIsa(isa =>
        {
            var pl = p;
            VtNative.Matmul(at.Ptr, bt.Ptr, biast.Ptr, &pl, yt.Ptr).ThrowIfFailed();
            var y = yt.Read();
            for (var q = 0; q < c.Batch; q++)
                for (var i = 0; i < c.M; i++)
                    for (var j = 0; j < c.N; j++)
                    {
                        double acc = bias[j], mag = Math.Abs(bias[j]);
                        var qb = c.BatchedB ? q : 0;
                        for (var kk = 0; kk < c.K; kk++)
                        {
                            var x = c.TransposeA ? av[(q * c.K + kk) * c.M + i] : av[(q * c.M + i) * c.K + kk];
                            var w = c.TransposeB ? bv[(qb * c.N + j) * c.K + kk] : bv[(qb * c.K + kk) * c.N + j];
                            if (c.Dtype == VtDtype.Bf16) { x = Formats.Bf16(x); w = Formats.Bf16(w); }
                            acc += (double)x * w;
                            mag += Math.Abs((double)x * w);
                        }
                        var got = y[(q * c.M + i) * c.N + j];
                        Assert.True(Math.Abs(got - acc) <= 2e-6 * mag + 1e-6, $"{isa} {c}: [{q},{i},{j}] = {got}, want {acc}");
                    }
        });
    });

    [Property(MaxTest = 20)]
    public Property Conv2dMatchesTheReference() => Prop.ForAll(Gen.Choose(0, int.MaxValue - 1).ToArbitrary(), seed =>
    {
        var r = new Rng(seed);
        int n = r.Int(1, 2), h = r.Int(3, 16), wd = r.Int(3, 16), cin = r.Int(1, 6), cout = r.Int(1, 40);
        int kh = r.Int(1, 3), kw = r.Int(1, 3), sh = r.Int(1, 2), sw = r.Int(1, 2), pad = r.Int(0, 1);
        int ho = (h + 2 * pad - kh) / sh + 1, wo = (wd + 2 * pad - kw) / sw + 1;
        var math = r.Bool() ? VtDtype.Bf16 : VtDtype.F32;
        var x = r.Uniform(n * h * wd * cin, -1, 1);
        var w = r.Uniform(cout * cin * kh * kw, -1, 1);
        var b = r.Uniform(cout, -1, 1);
        using var xt = NTensor.Of(x, n, h, wd, cin);
        using var wt = NTensor.Of(w, cout, cin, kh, kw);
        using var bt = NTensor.Of(b, cout);
        using var yt = NTensor.Empty([n, ho, wo, cout], VtDtype.F32);
        var p = new VtConv2dParams
        {
            StrideH = sh, StrideW = sw, DilationH = 1, DilationW = 1, PadTop = pad, PadBottom = pad, PadLeft = pad, PadRight = pad,
            Activation = VtActivation.Relu,
        };
        KernelSetup.ForEachIsa(isa =>
        {
            using var weights = WeightsHandle.Create(*wt.Ptr, 1, math);
            var pl = p;
            VtNative.Conv2d(xt.Ptr, weights.Pointer, bt.Ptr, null, &pl, yt.Ptr).ThrowIfFailed();
            var y = yt.Read();
            for (var a = 0; a < n; a++)
                for (var oh = 0; oh < ho; oh++)
                    for (var ow = 0; ow < wo; ow++)
                        for (var oc = 0; oc < cout; oc++)
                        {
                            double acc = b[oc], mag = Math.Abs(b[oc]);
                            for (var i = 0; i < kh; i++)
                                for (var j = 0; j < kw; j++)
                                {
                                    int ih = oh * sh + i - pad, iw = ow * sw + j - pad;
                                    if (ih < 0 || ih >= h || iw < 0 || iw >= wd) continue;
                                    for (var ci = 0; ci < cin; ci++)
                                    {
                                        var xv = x[((a * h + ih) * wd + iw) * cin + ci];
                                        var wv = w[((oc * cin + ci) * kh + i) * kw + j];
                                        if (math == VtDtype.Bf16) { xv = Formats.Bf16(xv); wv = Formats.Bf16(wv); }
                                        acc += (double)xv * wv;
                                        mag += Math.Abs((double)xv * wv);
                                    }
                                }
                            acc = Math.Max(acc, 0);
                            var got = y[((a * ho + oh) * wo + ow) * cout + oc];
                            Assert.True(Math.Abs(got - acc) <= 2e-6 * mag + 1e-6, $"{isa} seed {seed}: {got} vs {acc}");
                        }
        });
    });

    public sealed record TransposeCase(int N, int L, int Cin, int CoutG, int K, int Stride, int Dilation, int Padding, int OutputPadding,
        int Groups, VtDtype Math, int Seed);

    private static readonly Gen<TransposeCase> TransposeCases =
        from seed in Gen.Choose(0, int.MaxValue - 1)
        let r = new Rng(seed)
        let groups = r.Int(0, 3) == 0 ? 2 : 1
        let k = r.Int(1, 16)
        let s = r.Int(1, 8)
        let d = r.Int(0, 3) == 0 ? r.Int(2, 3) : 1
        select new TransposeCase(r.Int(1, 2), r.Int(1, 30), groups * r.Int(1, 20), r.Int(1, 40), k, s, d, r.Int(0, d * (k - 1) / 2),
            r.Int(0, Math.Min(s, d) - 1), groups, r.Bool() ? VtDtype.Bf16 : VtDtype.F32, seed);

    /// <summary>ConvTranspose1d (HiFi-GAN's upsampling: k16 s8 p4, k4 s2 p1) against the scatter definition.</summary>
    [Property(MaxTest = 30)]
    public Property ConvTranspose1dMatchesTheScatterDefinition() => Prop.ForAll(TransposeCases.ToArbitrary(), c =>
    {
        var r = new Rng(c.Seed);
        int cing = c.Cin / c.Groups, cout = c.CoutG * c.Groups;
        int lout = (c.L - 1) * c.Stride - 2 * c.Padding + c.Dilation * (c.K - 1) + c.OutputPadding + 1;
        if (lout < 1) return;
        var x = r.Uniform(c.N * c.L * c.Cin, -1, 1);
        var w = r.Uniform(c.Cin * c.CoutG * c.K, -1, 1);
        var b = r.Uniform(cout, -1, 1);
        using var xt = NTensor.Of(x, c.N, c.L, c.Cin);
        using var wt = NTensor.Of(w, c.Cin, c.CoutG, c.K);
        using var bt = NTensor.Of(b, cout);
        using var yt = NTensor.Empty([c.N, lout, cout], VtDtype.F32);
        var want = new double[c.N * lout * cout];
        var mag = new double[want.Length];
        for (var a = 0; a < c.N; a++)
            for (var l = 0; l < c.L; l++)
                for (var kk = 0; kk < c.K; kk++)
                {
                    var o = l * c.Stride - c.Padding + kk * c.Dilation;
                    if (o < 0 || o >= lout) continue;
                    for (var g = 0; g < c.Groups; g++)
                        for (var ci = 0; ci < cing; ci++)
                            for (var co = 0; co < c.CoutG; co++)
                            {
                                var xv = x[(a * c.L + l) * c.Cin + g * cing + ci];
                                var wv = w[((g * cing + ci) * c.CoutG + co) * c.K + kk];
                                if (c.Math == VtDtype.Bf16) { xv = Formats.Bf16(xv); wv = Formats.Bf16(wv); }
                                want[(a * lout + o) * cout + g * c.CoutG + co] += (double)xv * wv;
                                mag[(a * lout + o) * cout + g * c.CoutG + co] += Math.Abs((double)xv * wv);
                            }
                }
        for (var i = 0; i < want.Length; i++) { want[i] += b[i % cout]; mag[i] += Math.Abs(b[i % cout]); }
        var p = new VtConvTranspose1dParams
        {
            Stride = c.Stride, Dilation = c.Dilation, Padding = c.Padding, OutputPadding = c.OutputPadding, Activation = VtActivation.None,
        };
        KernelSetup.ForEachIsa(isa =>
        {
            VtWeights* wp;
            var pl = p;
            VtNative.ConvTransposeWeightsCreate(wt.Ptr, c.Groups, &pl, c.Math, &wp).ThrowIfFailed();
            try { VtNative.ConvTranspose1d(xt.Ptr, wp, bt.Ptr, null, &pl, yt.Ptr).ThrowIfFailed(); }
            finally { VtNative.WeightsDestroy(wp); }
            Reference.AssertClose(yt.Read(), want, mag, VtDtype.F32, $"{isa} {c}");
        });
    });
}
