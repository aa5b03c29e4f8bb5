using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using VoxTile.IR.Ops.Conv;
using VoxTile.IR.Tests.Support;
using Xunit.Abstractions;

namespace VoxTile.IR.Tests.Ops.Conv;

public sealed class Conv1dTests(ITestOutputHelper output)
{
    public sealed record Case(int Batch, int CinPerGroup, int CoutPerGroup, int Groups, int Kernel, int Stride, int Padding,
        int PaddingRight, int Dilation, int Length, bool Bias, int Seed)
    {
        public int RightPad => PaddingRight < 0 ? Padding : PaddingRight;
        public int OutLength => (Length + Padding + RightPad - Dilation * (Kernel - 1) - 1) / Stride + 1;
    }

    internal static Gen<Case> Cases =>
        from groups in Gen.Frequency((3, Gen.Constant(1)), (2, Gen.Choose(2, 3)), (2, Gen.Choose(2, 6)))
        from depthwise in Gen.Elements(false, true)
        from cing in depthwise ? Gen.Constant(1) : Gen.Choose(1, 4)
        from coutg in depthwise ? Gen.Constant(1) : Gen.Choose(1, 4)
        from k in Gen.Choose(1, 16)
        from stride in Gen.Choose(1, 4)
        from dilation in Gen.Choose(1, 5)
        from pad in Gen.Choose(0, 8)
        from padRight in Gen.Frequency((3, Gen.Constant(-1)), (2, Gen.Choose(0, 8)))
        from extra in Gen.Choose(0, 24)
        from batch in Gen.Choose(1, 2)
        from bias in Gen.Elements(true, false)
        from seed in Gen.Choose(0, int.MaxValue - 1)
        let right = padRight < 0 ? pad : padRight
        let len = Math.Max(1, dilation * (k - 1) + 1 - pad - right) + extra
        select new Case(batch, cing, coutg, groups, k, stride, pad, padRight, dilation, len, bias, seed);

    /// <summary>PyTorch's Conv1d, straight from the definition: y[b,o,t] = bias[o] + Σ_c Σ_k w[o,c,k]·x[b, g·Cin/g + c, t·s + k·d − pad].</summary>
    internal static double[] Naive(Tensor x, Tensor w, Tensor? bias, int stride, int padLeft, int padRight, int dilation, int groups, out int[] shape)
    {
        int b = x.Shape[0], cin = x.Shape[1], len = x.Shape[2];
        int cout = w.Shape[0], cing = w.Shape[1], k = w.Shape[2];
        int outLen = (len + padLeft + padRight - dilation * (k - 1) - 1) / stride + 1;
        int coutg = cout / groups;
        shape = [b, cout, outLen];
        var y = new double[b * cout * outLen];
        for (int bi = 0; bi < b; bi++)
            for (int o = 0; o < cout; o++)
                for (int t = 0; t < outLen; t++)
                {
                    double s = bias is null ? 0 : bias.Data[o];
                    int g = o / coutg;
                    for (int c = 0; c < cing; c++)
                        for (int kk = 0; kk < k; kk++)
                        {
                            int at = t * stride + kk * dilation - padLeft;
                            if (at < 0 || at >= len) continue;
                            s += (double)w.Data[(o * cing + c) * k + kk] * x.Data[(bi * cin + g * cing + c) * len + at];
                        }
                    y[(bi * cout + o) * outLen + t] = s;
                }
        return y;
    }

    [Property(MaxTest = 80)]
    public Property MatchesNaiveDefinition() => Prop.ForAll(Cases.ToArbitrary(), c =>
    {
        var rng = new Rng(c.Seed);
        int cin = c.CinPerGroup * c.Groups, cout = c.CoutPerGroup * c.Groups;
        var x = rng.Normal(c.Batch, cin, c.Length);
        var w = rng.Normal(cout, c.CinPerGroup, c.Kernel);
        var b = c.Bias ? rng.Normal(cout) : null;
        var y = b is null
            ? OneNode.Run(n => Nn.Conv1d(n[0], n[1], stride: c.Stride, padding: c.Padding, paddingRight: c.PaddingRight, dilation: c.Dilation, groups: c.Groups), x, w)
            : OneNode.Run(n => Nn.Conv1d(n[0], n[1], bias: n[2], stride: c.Stride, padding: c.Padding, paddingRight: c.PaddingRight, dilation: c.Dilation, groups: c.Groups), x, w, b);
        var expected = Naive(x, w, b, c.Stride, c.Padding, c.RightPad, c.Dilation, c.Groups, out var shape);
        Assert.Equal(c.OutLength, shape[2]);
        Near.Tensor(y, shape, expected, 1e-5, c.ToString());
    });

    /// <summary>A symbolic length stays symbolic only where the output length equals the input length.</summary>
    [Property(MaxTest = 100)]
    public Property SymbolicLengthAgreesWithFixed() => Prop.ForAll(Cases.ToArbitrary(), c =>
    {
        var op = new Conv1d { Stride = c.Stride, Padding = c.Padding, PaddingRight = c.PaddingRight, Dilation = c.Dilation, Groups = c.Groups };
        var w = TensorType.F32(c.CoutPerGroup * c.Groups, c.CinPerGroup, c.Kernel);
        var sym = BadType.NeverThrows(op, BadType.F32(c.Batch, c.CinPerGroup * c.Groups, Dim.Sym("T")), w);
        var fix = BadType.NeverThrows(op, TensorType.F32(c.Batch, c.CinPerGroup * c.Groups, c.Length), w);
        Assert.True(sym.Ok && fix.Ok);
        var d = sym.Type!.Shape[2];
        Assert.True(d.IsUnknown || (d == Dim.Sym("T") && fix.Type!.Shape[2] == Dim.Of(c.Length)), $"{c}: symbolic {d}, fixed {fix.Type!.Shape[2]}");
    });

    [Fact]
    public void RejectsBadOperands()
    {
        var x = TensorType.F32(1, 4, 20);
        Assert.Contains("input", BadType.Expect(new Conv1d(), TensorType.F32(4, 20), TensorType.F32(8, 4, 3)));
        Assert.Contains("weight", BadType.Expect(new Conv1d(), x, TensorType.F32(8, 4)));
        Assert.Contains("weight", BadType.Expect(new Conv1d(), x, BadType.F32(8, 4, Dim.Sym("K"))));
        Assert.Contains("channels", BadType.Expect(new Conv1d(), x, TensorType.F32(8, 3, 3)));
        Assert.Contains("channels", BadType.Expect(new Conv1d { Groups = 2 }, x, TensorType.F32(8, 4, 3)));
        Assert.Contains("groups", BadType.Expect(new Conv1d { Groups = 2 }, x, TensorType.F32(7, 2, 3)));
        Assert.Contains("bias", BadType.Expect(new Conv1d(), x, TensorType.F32(8, 4, 3), TensorType.F32(7)));
        Assert.Contains("bias", BadType.Expect(new Conv1d(), x, TensorType.F32(8, 4, 3), TensorType.F32(1, 8)));
        BadType.Expect(new Conv1d { Stride = 0 }, x, TensorType.F32(8, 4, 3));
        BadType.Expect(new Conv1d { Dilation = 0 }, x, TensorType.F32(8, 4, 3));
        BadType.Expect(new Conv1d { Padding = -1 }, x, TensorType.F32(8, 4, 3));
        Assert.Contains("receptive field", BadType.Expect(new Conv1d(), TensorType.F32(1, 4, 2), TensorType.F32(8, 4, 3)));
    }

    /// <summary>
    /// An input one sample shorter than the receptive field has no output at any stride (PyTorch raises); integer
    /// division that truncates toward zero used to give such a conv one output frame read past the input row.
    /// </summary>
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void InputShorterThanTheKernelFailsAtEveryStride(int stride)
    {
        Assert.Contains("receptive field", BadType.Expect(new Conv1d { Stride = stride }, TensorType.F32(1, 2, 4), TensorType.F32(3, 2, 5)));
        Assert.Contains("receptive field", BadType.Expect(new Conv1d { Stride = stride, Dilation = 3 }, TensorType.F32(1, 2, 6), TensorType.F32(3, 2, 3)));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void MatchesPyTorchGolden(int index)
    {
        if (!GoldenOps.Available(output)) return;
        var name = $"conv{index}";
        var x = GoldenOps.Load(name + "_x");
        var w = GoldenOps.Load(name + "_w");
        var b = GoldenOps.Load(name + "_b");
        var golden = GoldenOps.Load(name + "_y");
        int padding = GoldenOps.Param(name, "padding", 0), dilation = GoldenOps.Param(name, "dilation", 1);
        var y = OneNode.Run(n => Nn.Conv1d(n[0], n[1], bias: n[2], padding: padding, dilation: dilation), x, w, b);
        GoldenOps.AssertClose(y, golden, $"{name} (padding {padding}, dilation {dilation})", output);
    }
}
