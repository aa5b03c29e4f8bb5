using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using VoxTile.IR.Ops.Ttnn;
using VoxTile.IR.Tests.Support;
using Tt = VoxTile.IR.Ttnn;

namespace VoxTile.IR.Tests.Ops.Ttnn;

public sealed class TtnnConvTranspose2dTests
{
    public sealed record Case(int Batch, int CinPerGroup, int CoutPerGroup, int Groups, int[] Kernel, int[] Stride, int[] Padding, int[] OutputPadding,
        int[] Dilation, int[] Size, bool Bias, bool Mirror, int Seed)
    {
        public int Cin => CinPerGroup * Groups;
        public int Cout => CoutPerGroup * Groups;
        public int Out(int a) => (Size[a] - 1) * Stride[a] - 2 * Padding[a] + Dilation[a] * (Kernel[a] - 1) + OutputPadding[a] + 1;

        public override string ToString() =>
            $"Case(B {Batch}, Cin/g {CinPerGroup}, Cout/g {CoutPerGroup}, groups {Groups}, kernel {TtnnCheck.Show(Kernel)}, stride {TtnnCheck.Show(Stride)}, " +
            $"padding {TtnnCheck.Show(Padding)}, output_padding {TtnnCheck.Show(OutputPadding)}, dilation {TtnnCheck.Show(Dilation)}, size {TtnnCheck.Show(Size)}, bias {Bias}, mirror {Mirror}, seed {Seed})";
    }

    private static Gen<(int K, int S, int P, int Op, int D, int N)> Axis(bool unit) =>
        from k in unit ? Gen.Constant(1) : Gen.Choose(1, 5)
        from s in unit ? Gen.Constant(1) : Gen.Choose(1, 4)
        from d in unit ? Gen.Constant(1) : Gen.Choose(1, 2)
        from p in unit ? Gen.Constant(0) : Gen.Choose(0, (d * (k - 1)) / 2 + 1)
        from op in unit ? Gen.Constant(0) : Gen.Choose(0, Math.Max(s, d) - 1)
        from n in unit ? Gen.Constant(1) : Gen.Choose(1, 5)
        select (k, s, p, op, d, n);

    /// <param name="oneD">Width 1 (a 1-D transposed conv along the height), the form the lowering uses for nn.conv_transpose1d.</param>
    internal static Gen<Case> Cases(bool oneD) =>
        from groups in Gen.Choose(1, 2)
        from cing in Gen.Choose(1, 3)
        from coutg in Gen.Choose(1, 3)
        from h in Axis(false)
        from w in Axis(oneD)
        from batch in Gen.Choose(1, 2)
        from bias in Gen.Elements(true, false)
        from mirror in oneD ? Gen.Constant(true) : Gen.Elements(true, false)
        from seed in Gen.Choose(0, int.MaxValue - 1)
        where (h.N - 1) * h.S - 2 * h.P + h.D * (h.K - 1) + h.Op + 1 > 0 && (w.N - 1) * w.S - 2 * w.P + w.D * (w.K - 1) + w.Op + 1 > 0
        select new Case(batch, cing, coutg, groups, [h.K, w.K], [h.S, w.S], [h.P, w.P], [h.Op, w.Op], [h.D, w.D], [h.N, w.N], bias, mirror, seed);

    private static Node Build(Case c, Node nhwc, Node weight, Node? bias) => Tt.ConvTranspose2d(nhwc, weight, batchSize: c.Batch, inChannels: c.Cin,
        inputHeight: c.Size[0], inputWidth: c.Size[1], kernelSize: c.Kernel, outChannels: c.Cout, bias_tensor: bias, stride: c.Stride, padding: c.Padding,
        outputPadding: c.OutputPadding, dilation: c.Dilation, groups: c.Groups, mirrorKernel: c.Mirror);

    /// <summary>With width 1, ttnn.conv_transpose2d (mirror_kernel, the default) is nn.conv_transpose1d along the height.</summary>
    [Property(MaxTest = 50)]
    public Property WithWidthOneEqualsNnConvTranspose1d() => Prop.ForAll(Cases(oneD: true).ToArbitrary(), c =>
    {
        var rng = new Rng(c.Seed);
        var x = rng.Normal(c.Batch, c.Cin, c.Size[0]);
        var w = rng.Normal(c.Cin, c.CoutPerGroup, c.Kernel[0]);
        var b = rng.Normal(c.Cout);
        Tensor[] values = c.Bias ? [x, w, b] : [x, w];
        var want = TtnnCheck.Run(n => Nn.ConvTranspose1d(n[0], n[1], bias: c.Bias ? n[2] : null, stride: c.Stride[0], padding: c.Padding[0],
            outputPadding: c.OutputPadding[0], dilation: c.Dilation[0], groups: c.Groups), TtnnCheck.F32Types(values), values);
        var got = TtnnCheck.Run(n =>
        {
            var nhwc = Tt.Reshape(Tt.Permute(n[0], [0, 2, 1]), [c.Batch, c.Size[0], 1, c.Cin]);
            var y = Build(c, nhwc, Tt.Reshape(n[1], [c.Cin, c.CoutPerGroup, c.Kernel[0], 1]), c.Bias ? Tt.Reshape(n[2], [1, 1, 1, c.Cout]) : null);
            return Tt.Permute(Tt.Reshape(y, [c.Batch, c.Out(0), c.Cout]), [0, 2, 1]);
        }, TtnnCheck.F32Types(values), values);
        TtnnCheck.Close(got, want, 1e-5, c.ToString());
    });

    /// <summary>
    /// The gather form of PyTorch's definition: y[b, r, q, o] = bias[o] + Σ x[b, i, j, c]·w[c, o mod C_out/g, p, l] over
    /// the taps with i·s₀ − pad₀ + p·d₀ = r and j·s₁ − pad₁ + l·d₁ = q; without mirror_kernel the taps are reversed.
    /// </summary>
    [Property(MaxTest = 50)]
    public Property MatchesTheDefinition() => Prop.ForAll(Cases(oneD: false).ToArbitrary(), c =>
    {
        var rng = new Rng(c.Seed);
        var x = rng.Normal(c.Batch, c.Size[0], c.Size[1], c.Cin);
        var w = rng.Normal(c.Cin, c.CoutPerGroup, c.Kernel[0], c.Kernel[1]);
        var b = rng.Normal(1, 1, 1, c.Cout);
        Tensor[] values = c.Bias ? [x, w, b] : [x, w];
        var y = TtnnCheck.Run(n => Build(c, n[0], n[1], c.Bias ? n[2] : null), TtnnCheck.F32Types(values), values);
        int oh = c.Out(0), ow = c.Out(1), cing = c.CinPerGroup, coutg = c.CoutPerGroup, kh = c.Kernel[0], kw = c.Kernel[1];
        var expected = Nd.Map([1, 1, c.Batch * oh * ow, c.Cout], idx =>
        {
            int pixel = idx[2], o = idx[3];
            int bi = pixel / (oh * ow), r = pixel / ow % oh, q = pixel % ow, g = o / coutg;
            double s = c.Bias ? b.Data[o] : 0;
            for (int ci = g * cing; ci < (g + 1) * cing; ci++)
                for (int p = 0; p < kh; p++)
                    for (int l = 0; l < kw; l++)
                    {
                        int ni = r + c.Padding[0] - p * c.Dilation[0], nj = q + c.Padding[1] - l * c.Dilation[1];
                        if (ni < 0 || nj < 0 || ni % c.Stride[0] != 0 || nj % c.Stride[1] != 0) continue;
                        int i = ni / c.Stride[0], j = nj / c.Stride[1];
                        if (i >= c.Size[0] || j >= c.Size[1]) continue;
                        int wp = c.Mirror ? p : kh - 1 - p, wl = c.Mirror ? l : kw - 1 - l;
                        s += (double)x[bi, i, j, ci] * w[ci, o % coutg, wp, wl];
                    }
            return s;
        });
        TtnnCheck.Close(y, [1, 1, c.Batch * oh * ow, c.Cout], expected, 1e-5, c.ToString());
    });

    /// <summary>mirror_kernel = False is mirror_kernel = True on the spatially reversed weight (nn.flip on both kernel axes).</summary>
    [Property(MaxTest = 30)]
    public Property WithoutMirrorTheWeightIsTakenFlipped() => Prop.ForAll(Cases(oneD: false).ToArbitrary(), c =>
    {
        var rng = new Rng(c.Seed);
        var x = rng.Normal(c.Batch, c.Size[0], c.Size[1], c.Cin);
        var w = rng.Normal(c.Cin, c.CoutPerGroup, c.Kernel[0], c.Kernel[1]);
        var plain = TtnnCheck.Run(n => Build(c with { Mirror = false }, n[0], n[1], null), TtnnCheck.F32Types(x, w), x, w);
        var flipped = TtnnCheck.Run(n => Build(c with { Mirror = true }, n[0], Nn.Flip(Nn.Flip(n[1], axis: 2), axis: 3), null), TtnnCheck.F32Types(x, w), x, w);
        TtnnCheck.Close(plain, flipped, 1e-6, c.ToString());
    });

    private static ConvTranspose2d Make(int[]? outputPadding = null, int groups = 1, int[]? padding = null) => new()
    {
        BatchSize = 1, InChannels = 4, OutChannels = 6, InputHeight = 3, InputWidth = 3, KernelSize = [3, 3], Stride = [2, 2],
        OutputPadding = outputPadding ?? [0, 0], Groups = groups, Padding = padding ?? [0, 0],
    };

    [Fact]
    public void RejectsBadOperands()
    {
        var x = TtnnCheck.F32(1, 3, 3, 4);
        var w = TtnnCheck.F32(4, 6, 3, 3);
        Assert.Equal(new Shape(1, 1, 49, 6), Node.Create(Make(), [VoxTile.IR.Ops.Graph.Input.Create("x", x), VoxTile.IR.Ops.Graph.Input.Create("w", w)]).Shape);
        Assert.Contains("weight_tensor", BadType.Expect(Make(), x, TtnnCheck.F32(6, 4, 3, 3))); // conv2d's [O, C, KH, KW] order
        Assert.Contains("weight_tensor", BadType.Expect(Make(groups: 2), x, w));
        Assert.Contains("input_tensor", BadType.Expect(Make(), TtnnCheck.F32(1, 4, 3, 3), w));
        Assert.Contains("output_padding", BadType.Expect(Make(outputPadding: [2, 0]), x, w));
        Assert.Contains("bias_tensor", BadType.Expect(Make(), x, w, TtnnCheck.F32(1, 1, 1, 4)));
        Assert.Contains("empty", BadType.Expect(Make(padding: [5, 0]), x, w));
    }
}
