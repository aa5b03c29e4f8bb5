using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using VoxTile.IR.Ops.Conv;
using VoxTile.IR.Tests.Support;

namespace VoxTile.IR.Tests.Ops.Conv;

public sealed class Conv2dTests
{
    public sealed record Case(int Batch, int CinPerGroup, int CoutPerGroup, int Groups, int[] Kernel, int[] Stride, int[] Padding,
        int[] Dilation, int[] Size, bool Bias, int Seed)
    {
        public override string ToString() =>
            $"Case(B {Batch}, Cin/g {CinPerGroup}, Cout/g {CoutPerGroup}, groups {Groups}, kernel [{string.Join(",", Kernel)}], stride [{string.Join(",", Stride)}], " +
            $"padding [{string.Join(",", Padding)}], dilation [{string.Join(",", Dilation)}], size [{string.Join(",", Size)}], bias {Bias}, seed {Seed})";
    }

    private static Gen<(int K, int S, int P, int D, int N)> Axis =>
        from k in Gen.Choose(1, 5)
        from s in Gen.Choose(1, 3)
        from p in Gen.Choose(0, 3)
        from d in Gen.Choose(1, 3)
        from extra in Gen.Choose(0, 6)
        select (k, s, p, d, Math.Max(1, d * (k - 1) + 1 - 2 * p) + extra);

    internal static Gen<Case> Cases =>
        from groups in Gen.Choose(1, 3)
        from cing in Gen.Choose(1, 3)
        from coutg in Gen.Choose(1, 3)
        from h in Axis
        from w in Axis
        from batch in Gen.Choose(1, 2)
        from bias in Gen.Elements(true, false)
        from seed in Gen.Choose(0, int.MaxValue - 1)
        select new Case(batch, cing, coutg, groups, [h.K, w.K], [h.S, w.S], [h.P, w.P], [h.D, w.D], [h.N, w.N], bias, seed);

    /// <summary>PyTorch's Conv2d: y[b,o,i,j] = bias[o] + Σ_c Σ_p Σ_q w[o,c,p,q]·x[b, g·Cin/g + c, i·s₀ + p·d₀ − pad₀, j·s₁ + q·d₁ − pad₁].</summary>
    internal static double[] Naive(Tensor x, Tensor w, Tensor? bias, int[] stride, int[] padding, int[] dilation, int groups, out int[] shape)
    {
        int b = x.Shape[0], cin = x.Shape[1], h = x.Shape[2], wd = x.Shape[3];
        int cout = w.Shape[0], cing = w.Shape[1], kh = w.Shape[2], kw = w.Shape[3];
        int oh = (h + 2 * padding[0] - dilation[0] * (kh - 1) - 1) / stride[0] + 1;
        int ow = (wd + 2 * padding[1] - dilation[1] * (kw - 1) - 1) / stride[1] + 1;
        shape = [b, cout, oh, ow];
        var y = new double[b * cout * oh * ow];
        int coutg = cout / groups;
        for (int bi = 0; bi < b; bi++)
            for (int o = 0; o < cout; o++)
                for (int i = 0; i < oh; i++)
                    for (int j = 0; j < ow; j++)
                    {
                        double s = bias is null ? 0 : bias.Data[o];
                        for (int c = 0; c < cing; c++)
                            for (int p = 0; p < kh; p++)
                                for (int q = 0; q < kw; q++)
                                {
                                    int r = i * stride[0] + p * dilation[0] - padding[0], col = j * stride[1] + q * dilation[1] - padding[1];
                                    if (r < 0 || r >= h || col < 0 || col >= wd) continue;
                                    s += (double)w.Data[((o * cing + c) * kh + p) * kw + q] * x.Data[((bi * cin + o / coutg * cing + c) * h + r) * wd + col];
                                }
                        y[((bi * cout + o) * oh + i) * ow + j] = s;
                    }
        return y;
    }

    [Property(MaxTest = 60)]
    public Property MatchesNaiveDefinition() => Prop.ForAll(Cases.ToArbitrary(), c =>
    {
        var rng = new Rng(c.Seed);
        int cin = c.CinPerGroup * c.Groups, cout = c.CoutPerGroup * c.Groups;
        var x = rng.Normal(c.Batch, cin, c.Size[0], c.Size[1]);
        var w = rng.Normal(cout, c.CinPerGroup, c.Kernel[0], c.Kernel[1]);
        var b = c.Bias ? rng.Normal(cout) : null;
        Node Build(Node[] n) => Nn.Conv2d(n[0], n[1], bias: b is null ? null : n[2], stride: c.Stride, padding: c.Padding, dilation: c.Dilation, groups: c.Groups);
        var y = b is null ? OneNode.Run(Build, x, w) : OneNode.Run(Build, x, w, b);
        var expected = Naive(x, w, b, c.Stride, c.Padding, c.Dilation, c.Groups, out var shape);
        Near.Tensor(y, shape, expected, 1e-5, c.ToString());
    });

    [Fact]
    public void RejectsBadOperands()
    {
        var x = TensorType.F32(1, 4, 8, 8);
        var w = TensorType.F32(6, 4, 3, 3);
        Assert.Contains("input", BadType.Expect(new Conv2d(), TensorType.F32(4, 8, 8), w));
        Assert.Contains("weight", BadType.Expect(new Conv2d(), x, TensorType.F32(6, 4, 3)));
        Assert.Contains("channels", BadType.Expect(new Conv2d(), x, TensorType.F32(6, 3, 3, 3)));
        Assert.Contains("groups", BadType.Expect(new Conv2d { Groups = 4 }, x, TensorType.F32(6, 1, 3, 3)));
        Assert.Contains("bias", BadType.Expect(new Conv2d(), x, w, TensorType.F32(4)));
        Assert.Contains("two values", BadType.Expect(new Conv2d { Stride = [1] }, x, w));
        BadType.Expect(new Conv2d { Stride = [0, 1] }, x, w);
        BadType.Expect(new Conv2d { Padding = [0, -1] }, x, w);
        Assert.Contains("smaller than the kernel", BadType.Expect(new Conv2d(), TensorType.F32(1, 4, 2, 8), w));
        Assert.Contains("smaller than the kernel", BadType.Expect(new Conv2d { Stride = [2, 2] }, TensorType.F32(1, 4, 8, 2), w));
    }
}
