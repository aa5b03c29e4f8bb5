using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using VoxTile.IR.Ops.Ttnn;
using VoxTile.IR.Tests.Support;
using Tt = VoxTile.IR.Ttnn;

namespace VoxTile.IR.Tests.Ops.Ttnn;

public sealed class TtnnConv2dTests
{
    /// <param name="Pads">(top, bottom, left, right); printed as two values when symmetric and <paramref name="TwoValues"/>.</param>
    public sealed record Case(int Batch, int CinPerGroup, int CoutPerGroup, int Groups, int[] Kernel, int[] Stride, int[] Pads, bool TwoValues,
        int[] Dilation, int[] Size, bool Bias, bool Flat, int Seed)
    {
        public int Cin => CinPerGroup * Groups;
        public int Cout => CoutPerGroup * Groups;
        public int Out(int axis) => (Size[axis] + Pads[2 * axis] + Pads[2 * axis + 1] - Dilation[axis] * (Kernel[axis] - 1) - 1) / Stride[axis] + 1;
        public int[] Padding => TwoValues ? [Pads[0], Pads[2]] : Pads;

        public override string ToString() =>
            $"Case(B {Batch}, Cin/g {CinPerGroup}, Cout/g {CoutPerGroup}, groups {Groups}, kernel {TtnnCheck.Show(Kernel)}, stride {TtnnCheck.Show(Stride)}, " +
            $"pads {TtnnCheck.Show(Pads)} two {TwoValues}, dilation {TtnnCheck.Show(Dilation)}, size {TtnnCheck.Show(Size)}, bias {Bias}, flat {Flat}, seed {Seed})";
    }

    private static Gen<(int K, int S, int P0, int P1, int D, int N)> Axis(bool symmetric) =>
        from k in Gen.Choose(1, 4)
        from s in Gen.Choose(1, 3)
        from p0 in Gen.Choose(0, 2)
        from p1 in symmetric ? Gen.Constant(p0) : Gen.Choose(0, 2)
        from d in Gen.Choose(1, 2)
        from extra in Gen.Choose(0, 4)
        select (k, s, p0, p1, d, Math.Max(1, d * (k - 1) + 1 - p0 - p1) + extra);

    internal static Gen<Case> Cases =>
        from symmetric in Gen.Elements(false, true)
        from groups in Gen.Choose(1, 2)
        from cing in Gen.Choose(1, 3)
        from coutg in Gen.Choose(1, 3)
        from h in Axis(symmetric)
        from w in Axis(symmetric)
        from two in Gen.Elements(false, true)
        from batch in Gen.Choose(1, 2)
        from bias in Gen.Elements(true, false)
        from flat in Gen.Elements(false, true)
        from seed in Gen.Choose(0, int.MaxValue - 1)
        select new Case(batch, cing, coutg, groups, [h.K, w.K], [h.S, w.S], [h.P0, h.P1, w.P0, w.P1], symmetric && two, [h.D, w.D], [h.N, w.N], bias, flat, seed);

    /// <summary>
    /// NCHW → NHWC (optionally flattened), ttnn.conv2d, [1, 1, N·H·W, O] → NCHW equals nn.conv2d over the input
    /// zero-padded by nn.pad on each spatial axis (nn.conv2d pads symmetrically only).
    /// </summary>
    [Property(MaxTest = 50)]
    public Property EqualsNnConv2dAroundTheChannelsLastLayout() => Prop.ForAll(Cases.ToArbitrary(), c =>
    {
        var rng = new Rng(c.Seed);
        var x = rng.Normal(c.Batch, c.Cin, c.Size[0], c.Size[1]);
        var w = rng.Normal(c.Cout, c.CinPerGroup, c.Kernel[0], c.Kernel[1]);
        var b = rng.Normal(c.Cout);
        Tensor[] values = c.Bias ? [x, w, b] : [x, w];
        var want = TtnnCheck.Run(n =>
        {
            var padded = Nn.Pad(n[0], left: c.Pads[2], right: c.Pads[3]);
            padded = Nn.Transpose(Nn.Pad(Nn.Transpose(padded, [0, 1, 3, 2]), left: c.Pads[0], right: c.Pads[1]), [0, 1, 3, 2]);
            return Nn.Conv2d(padded, n[1], bias: c.Bias ? n[2] : null, stride: c.Stride, padding: [0, 0], dilation: c.Dilation, groups: c.Groups);
        }, TtnnCheck.F32Types(values), values);
        var got = TtnnCheck.Run(n =>
        {
            var nhwc = Tt.Permute(n[0], [0, 2, 3, 1]);
            if (c.Flat) nhwc = Tt.Reshape(nhwc, [1, 1, c.Batch * c.Size[0] * c.Size[1], c.Cin]);
            var y = Tt.Conv2d(nhwc, n[1], batchSize: c.Batch, inChannels: c.Cin, inputHeight: c.Size[0], inputWidth: c.Size[1], kernelSize: c.Kernel,
                outChannels: c.Cout, bias_tensor: c.Bias ? Tt.Reshape(n[2], [1, 1, 1, c.Cout]) : null, stride: c.Stride, padding: c.Padding,
                dilation: c.Dilation, groups: c.Groups);
            Assert.Equal(new Shape(1, 1, c.Batch * c.Out(0) * c.Out(1), c.Cout), y.Shape);
            return Tt.Permute(Tt.Reshape(y, [c.Batch, c.Out(0), c.Out(1), c.Cout]), [0, 3, 1, 2]);
        }, TtnnCheck.F32Types(values), values);
        TtnnCheck.Close(got, want, 1e-6, c.ToString());
    });

    private static Conv2d Make(int[]? kernel = null, int[]? stride = null, int[]? padding = null, int groups = 1, int height = 6) => new()
    {
        BatchSize = 1, InChannels = 4, OutChannels = 6, InputHeight = height, InputWidth = 5, KernelSize = kernel ?? [3, 3],
        Stride = stride ?? [1, 1], Padding = padding ?? [0, 0], Groups = groups,
    };

    [Fact]
    public void RejectsBadOperands()
    {
        var x = TtnnCheck.F32(1, 6, 5, 4);
        var w = TtnnCheck.F32(6, 4, 3, 3);
        Assert.Contains("input_tensor", BadType.Expect(Make(), TtnnCheck.F32(1, 4, 6, 5), w));
        Assert.Contains("input_tensor", BadType.Expect(Make(), TtnnCheck.F32(1, 1, 29, 4), w));
        Assert.Contains("weight_tensor", BadType.Expect(Make(), x, TtnnCheck.F32(6, 4, 3, 2)));
        Assert.Contains("weight_tensor", BadType.Expect(Make(groups: 2), x, w));
        Assert.Contains("bias_tensor", BadType.Expect(Make(), x, w, TtnnCheck.F32(6)));
        Assert.Contains("two values", BadType.Expect(Make(kernel: [3]), x, w));
        Assert.Contains("four", BadType.Expect(Make(padding: [1, 1, 1]), x, w));
        Assert.Contains("stride", BadType.Expect(Make(stride: [0, 1]), x, w));
        Assert.Contains("padding", BadType.Expect(Make(padding: [0, -1]), x, w));
        Assert.Contains("receptive field", BadType.Expect(Make(height: 2), TtnnCheck.F32(1, 2, 5, 4), w));
    }
}
