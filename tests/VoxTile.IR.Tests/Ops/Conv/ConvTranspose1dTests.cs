using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using VoxTile.IR.Ops.Conv;
using VoxTile.IR.Ops.Graph;
using VoxTile.IR.Tests.Support;
using Xunit.Abstractions;

namespace VoxTile.IR.Tests.Ops.Conv;

public sealed class ConvTranspose1dTests(ITestOutputHelper output)
{
    public sealed record Case(int Batch, int CinPerGroup, int CoutPerGroup, int Groups, int Kernel, int Stride, int Padding,
        int OutputPadding, int Dilation, int Length, bool Bias, int Seed)
    {
        public int OutLength => (Length - 1) * Stride - 2 * Padding + Dilation * (Kernel - 1) + OutputPadding + 1;
    }

    internal static Gen<Case> Cases =>
        from groups in Gen.Frequency((3, Gen.Constant(1)), (2, Gen.Choose(2, 4)))
        from cing in Gen.Choose(1, 4)
        from coutg in Gen.Choose(1, 4)
        from k in Gen.Choose(1, 16)
        from stride in Gen.Choose(1, 8)
        from dilation in Gen.Frequency((3, Gen.Constant(1)), (1, Gen.Choose(2, 3)))
        from outputPadding in Gen.Choose(0, Math.Max(stride, dilation) - 1)
        from len in Gen.Choose(1, 12)
        from padding in Gen.Choose(0, ((len - 1) * stride + dilation * (k - 1) + outputPadding) / 2)
        from batch in Gen.Choose(1, 2)
        from bias in Gen.Elements(true, false)
        from seed in Gen.Choose(0, int.MaxValue - 1)
        select new Case(batch, cing, coutg, groups, k, stride, padding, outputPadding, dilation, len, bias, seed);

    /// <summary>
    /// PyTorch's ConvTranspose1d from the definition: every input sample x[b,c,t] scatters w[c,o,k]·x into
    /// y[b, g·Cout/g + o, t·s + k·d − padding]; weight [Cin, Cout/groups, K].
    /// </summary>
    internal static double[] Naive(Tensor x, Tensor w, Tensor? bias, int stride, int padding, int outputPadding, int dilation, int groups, out int[] shape)
    {
        int b = x.Shape[0], cin = x.Shape[1], len = x.Shape[2];
        int coutg = w.Shape[1], k = w.Shape[2], cout = coutg * groups, cing = cin / groups;
        int outLen = (len - 1) * stride - 2 * padding + dilation * (k - 1) + outputPadding + 1;
        shape = [b, cout, outLen];
        var y = new double[b * cout * outLen];
        for (int bi = 0; bi < b; bi++)
        {
            for (int o = 0; o < cout; o++)
                for (int j = 0; j < outLen; j++)
                    y[(bi * cout + o) * outLen + j] = bias is null ? 0 : bias.Data[o];
            for (int c = 0; c < cin; c++)
            {
                int g = c / cing;
                for (int t = 0; t < len; t++)
                    for (int o = 0; o < coutg; o++)
                        for (int kk = 0; kk < k; kk++)
                        {
                            int j = t * stride + kk * dilation - padding;
                            if (j < 0 || j >= outLen) continue;
                            y[(bi * cout + g * coutg + o) * outLen + j] += (double)x.Data[(bi * cin + c) * len + t] * w.Data[(c * coutg + o) * k + kk];
                        }
            }
        }
        return y;
    }

    [Property(MaxTest = 80)]
    public Property MatchesNaiveDefinition() => Prop.ForAll(Cases.ToArbitrary(), c =>
    {
        var rng = new Rng(c.Seed);
        int cin = c.CinPerGroup * c.Groups, cout = c.CoutPerGroup * c.Groups;
        var x = rng.Normal(c.Batch, cin, c.Length);
        var w = rng.Normal(cin, c.CoutPerGroup, c.Kernel);
        var b = c.Bias ? rng.Normal(cout) : null;
        Node Build(Node[] n) => Nn.ConvTranspose1d(n[0], n[1], bias: b is null ? null : n[2], stride: c.Stride, padding: c.Padding,
            outputPadding: c.OutputPadding, dilation: c.Dilation, groups: c.Groups);
        var y = b is null ? OneNode.Run(Build, x, w) : OneNode.Run(Build, x, w, b);
        var expected = Naive(x, w, b, c.Stride, c.Padding, c.OutputPadding, c.Dilation, c.Groups, out var shape);
        Assert.Equal(c.OutLength, shape[2]);
        Near.Tensor(y, shape, expected, 1e-5, c.ToString());
    });

    /// <summary>
    /// conv_transpose1d is the adjoint of conv1d with the same weight read as [Cin, Cout/g, K]:
    /// ⟨convT(x), y⟩ = ⟨x, conv(y)⟩ whenever the lengths match (output_padding below the stride).
    /// </summary>
    [Property(MaxTest = 80)]
    public Property IsTheAdjointOfConv1d() => Prop.ForAll(Cases.ToArbitrary(), c =>
    {
        var rng = new Rng(c.Seed);
        int outputPadding = c.OutputPadding % c.Stride;
        int convIn = c.CoutPerGroup * c.Groups, convOut = c.CinPerGroup * c.Groups;
        int ly = (c.Length - 1) * c.Stride - 2 * c.Padding + c.Dilation * (c.Kernel - 1) + outputPadding + 1;
        if (ly < 1) return;
        var w = rng.Normal(convOut, c.CoutPerGroup, c.Kernel); // conv1d: [Cout, Cin/g, K]; conv_transpose1d: [Cin, Cout/g, K]
        var x = rng.Normal(c.Batch, convOut, c.Length);
        var y = rng.Normal(c.Batch, convIn, ly);
        var tx = OneNode.Run(n => Nn.ConvTranspose1d(n[0], n[1], stride: c.Stride, padding: c.Padding, outputPadding: outputPadding, dilation: c.Dilation, groups: c.Groups), x, w);
        var cy = OneNode.Run(n => Nn.Conv1d(n[0], n[1], stride: c.Stride, padding: c.Padding, dilation: c.Dilation, groups: c.Groups), y, w);
        Assert.Equal(y.Shape, tx.Shape);
        Assert.Equal(x.Shape, cy.Shape);
        var (lhs, lhsScale) = Dot(tx, y);
        var (rhs, rhsScale) = Dot(x, cy);
        Assert.True(Math.Abs(lhs - rhs) <= 1e-5 * Math.Max(1, Math.Max(lhsScale, rhsScale)), $"{c}: ⟨convT x, y⟩ = {lhs} but ⟨x, conv y⟩ = {rhs}");
    });

    private static (double Dot, double Scale) Dot(Tensor a, Tensor b)
    {
        double s = 0, aa = 0, bb = 0;
        for (int i = 0; i < a.Data.Length; i++) { s += (double)a.Data[i] * b.Data[i]; aa += (double)a.Data[i] * a.Data[i]; bb += (double)b.Data[i] * b.Data[i]; }
        return (s, Math.Sqrt(aa * bb));
    }

    /// <summary>A symbolic length becomes L·stride exactly when the constant terms of the length formula cancel (HiFi-GAN upsamplers).</summary>
    [Property(MaxTest = 100)]
    public Property SymbolicLengthAgreesWithFixed() => Prop.ForAll(Cases.ToArbitrary(), c =>
    {
        var op = new ConvTranspose1d { Stride = c.Stride, Padding = c.Padding, OutputPadding = c.OutputPadding, Dilation = c.Dilation, Groups = c.Groups };
        var w = TensorType.F32(c.CinPerGroup * c.Groups, c.CoutPerGroup, c.Kernel);
        var sym = BadType.NeverThrows(op, BadType.F32(c.Batch, c.CinPerGroup * c.Groups, Dim.Sym("T")), w);
        var fix = BadType.NeverThrows(op, TensorType.F32(c.Batch, c.CinPerGroup * c.Groups, c.Length), w);
        Assert.True(sym.Ok && fix.Ok, $"{c}: {sym.Error} {fix.Error}");
        var d = sym.Type!.Shape[2];
        Assert.True(d.IsUnknown || (d == Dim.Sym("T", c.Stride) && fix.Type!.Shape[2] == Dim.Of(c.Length * c.Stride)), $"{c}: symbolic {d}, fixed {fix.Type!.Shape[2]}");
    });

    [Fact]
    public void UpsamplersOfHiFiGanKeepTheSymbol()
    {
        // dec.ups: kernel 16, stride 8, padding 4 → 8T; kernel 4, stride 2, padding 1 → 2T.
        var t = Nn.ConvTranspose1d(Input.Create("x", BadType.F32(1, 16, Dim.Sym("T"))), Weight.Create("w", new Tensor([16, 8, 16])), stride: 8, padding: 4);
        Assert.Equal(Dim.Sym("T", 8), t.Shape[2]);
        var u = Nn.ConvTranspose1d(t, Weight.Create("v", new Tensor([8, 4, 4])), stride: 2, padding: 1);
        Assert.Equal(Dim.Sym("T", 16), u.Shape[2]);
    }

    [Fact]
    public void RejectsBadOperands()
    {
        var x = TensorType.F32(1, 4, 10);
        var w = TensorType.F32(4, 2, 3);
        Assert.Contains("input", BadType.Expect(new ConvTranspose1d(), TensorType.F32(4, 10), w));
        Assert.Contains("weight", BadType.Expect(new ConvTranspose1d(), x, TensorType.F32(4, 2)));
        Assert.Contains("channels", BadType.Expect(new ConvTranspose1d(), x, TensorType.F32(3, 2, 3)));
        Assert.Contains("groups", BadType.Expect(new ConvTranspose1d { Groups = 3 }, TensorType.F32(1, 4, 10), w));
        Assert.Contains("bias", BadType.Expect(new ConvTranspose1d(), x, w, TensorType.F32(4)));
        Assert.Contains("output_padding", BadType.Expect(new ConvTranspose1d { Stride = 2, OutputPadding = 2 }, x, w));
        BadType.Expect(new ConvTranspose1d { Stride = 0 }, x, w);
        BadType.Expect(new ConvTranspose1d { Padding = -1 }, x, w);
        Assert.Contains("empty", BadType.Expect(new ConvTranspose1d { Padding = 2 }, TensorType.F32(1, 4, 1), w));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void MatchesPyTorchGolden(int index)
    {
        if (!GoldenOps.Available(output)) return;
        var name = $"convt{index}";
        var x = GoldenOps.Load(name + "_x");
        var w = GoldenOps.Load(name + "_w");
        var b = GoldenOps.Load(name + "_b");
        var golden = GoldenOps.Load(name + "_y");
        int stride = GoldenOps.Param(name, "stride", 1), padding = GoldenOps.Param(name, "padding", 0);
        var y = OneNode.Run(n => Nn.ConvTranspose1d(n[0], n[1], bias: n[2], stride: stride, padding: padding), x, w, b);
        GoldenOps.AssertClose(y, golden, $"{name} (stride {stride}, padding {padding})", output);
    }
}
