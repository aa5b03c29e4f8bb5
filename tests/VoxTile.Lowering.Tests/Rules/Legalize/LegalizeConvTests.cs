using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using VoxTile.IR;
using VoxTile.IR.Ops.Graph;
using VoxTile.IR.Ops.Ttnn;
using VoxTile.Lowering.Passes;
using VoxTile.Lowering.Tests.Rules.Decompose;

namespace VoxTile.Lowering.Tests.Rules.Legalize;

/// <summary>conv1d, the framing conv1d of the STFT, conv_transpose1d (as conv_transpose2d) and conv2d on random attributes.</summary>
public sealed class LegalizeConvTests
{
    public sealed record Conv1dCase(int Batch, int Groups, int InPerGroup, int OutPerGroup, int Length, int Kernel, int Stride,
        int Dilation, int PadLeft, int PadRight, bool Bias, bool Chain, int Seed)
    {
        public override string ToString() =>
            $"Conv1dCase(B {Batch}, g {Groups}, cin/g {InPerGroup}, cout/g {OutPerGroup}, L {Length}, k {Kernel}, s {Stride}, d {Dilation}, pad {PadLeft}/{PadRight}, bias {Bias}, chain {Chain}, seed {Seed})";
    }

    private static Gen<Conv1dCase> Conv1dCases =>
        from b in Gen.Choose(1, 2)
        from g in Gen.Choose(1, 3)
        // 32 per group: channels of whole tiles, which a stride-1 bf16 conv takes in TILE.
        from cin in Gen.Elements(1, 2, 3, 4, 32)
        from cout in Gen.Elements(1, 2, 3, 4, 32)
        from len in Gen.Choose(1, 40)
        from k in Gen.Choose(1, 7)
        from s in Gen.Choose(1, 3)
        from d in Gen.Choose(1, 3)
        from pl in Gen.Choose(0, 4)
        from pr in Gen.Choose(0, 4)
        from bias in Gen.Elements(true, false)
        from chain in Gen.Elements(true, false)
        from seed in Gen.Choose(0, int.MaxValue - 1)
        let c = new Conv1dCase(b, g, cin, cout, len, k, s, d, pl, pr, bias, chain, seed)
        where len + pl + pr >= d * (k - 1) + 1
        select c;

    [Property(MaxTest = 80)]
    public Property Conv1dEqualsTheNnOp() => Prop.ForAll(Conv1dCases.ToArbitrary(), c =>
    {
        var rng = new CaseRng(c.Seed);
        int cin = c.Groups * c.InPerGroup, cout = c.Groups * c.OutPerGroup;
        var x = rng.Normal(c.Batch, cin, c.Length);
        var w = Weight.Create("conv.weight", rng.Normal(cout, c.InPerGroup, c.Kernel));
        var b = c.Bias ? Weight.Create("conv.bias", rng.Normal(cout)) : null;
        var w2 = Weight.Create("conv2.weight", rng.Normal(cout, cout, 3));
        var g = RuleCheck.Build("conv", [TensorType.F32(x.Shape)], n =>
        {
            var y = Nn.Conv1d(n[0], w, bias: b, stride: c.Stride, padding: c.PadLeft, paddingRight: c.PadRight, dilation: c.Dilation, groups: c.Groups);
            return c.Chain ? Nn.Conv1d(Nn.LeakyRelu(y, negativeSlope: 0.1f), w2, padding: 1) : y;
        });
        var t = LegalizeCheck.Legalize(g);
        LegalizeCheck.Same(g, t, [x], 1e-5, c.ToString());
        Assert.Equal(c.Chain ? 2 : 1, LegalizeCheck.Count(t, "ttnn.conv1d"));
        // In and out of the nn order once each; convs chain channels-last.
        Assert.True(LegalizeCheck.Count(t, "ttnn.permute") <= 2, $"{c}: {LegalizeCheck.Census(t)}");
        Assert.All(t.Nodes.Where(n => n.Op is Conv1d), n =>
        {
            Assert.Equal(ExpectedInputLayout(n), n.Inputs[0].Type.Layout);
            Assert.Equal(Layout.RowMajor, n.Inputs[1].Type.Layout);
            Assert.IsType<Weight>(n.Inputs[1].Op);
            if (n.Inputs.Length > 2) Assert.Equal(new Shape(1, 1, 1, cout), n.Inputs[2].Shape);
        });
    });

    /// <summary>
    /// A stride-1 conv takes its bf16 input in TILE as it comes (no ttnn.to_layout; TTNN's halo step untilizes it) when
    /// its channels are whole tiles; an f32 input, a strided conv's, or one of fewer channels than whole tiles (TILE
    /// would pad its rows) goes ROW_MAJOR.
    /// </summary>
    private static Layout ExpectedInputLayout(Node conv) =>
        ((ITtnnOp)conv.Op).RequirementOf(0).Layout != LayoutRequirement.RowMajor && conv.Inputs[0].Type.DType == DType.BF16
        && conv.Inputs[0].Shape[-1].Value % 32 == 0 ? Layout.Tile : Layout.RowMajor;

    [Property(MaxTest = 30)]
    public Property AOneChannelStridedConvIsFramed() => Prop.ForAll(
        (from hop in Gen.Choose(2, 8) from taps in Gen.Choose(1, 4) from extra in Gen.Choose(0, 20) from frames in Gen.Choose(1, 12)
         from o in Gen.Choose(1, 5) from seed in Gen.Choose(0, int.MaxValue - 1) select (hop, taps, extra, frames, o, seed)).ToArbitrary(), c =>
    {
        var rng = new CaseRng(c.seed);
        int k = c.hop * c.taps, len = (c.frames - 1) * c.hop + k + c.extra;
        var x = rng.Normal(1, len);
        var basis = Weight.Create("const.basis", rng.Normal(c.o, 1, k));
        var g = RuleCheck.Build("stft", [TensorType.F32(1, len)], n => Nn.Conv1d(Nn.Reshape(n[0], [1, 1, len]), basis, stride: c.hop));
        var t = LegalizeCheck.Legalize(g);
        LegalizeCheck.Same(g, t, [x], 1e-5, c.ToString());
        var conv = Assert.Single(t.Nodes, n => n.Op is Conv1d);
        var op = (Conv1d)conv.Op;
        Assert.Equal((1, c.hop, c.taps), (op.Stride, op.InChannels, op.KernelSize));
        // The clip is framed before it goes ROW_MAJOR (no page holds the whole clip), with no permute; only the
        // nn-order output is permuted back.
        Assert.Equal(ExpectedInputLayout(conv), conv.Inputs[0].Type.Layout);
        Assert.DoesNotContain(t.Nodes, n => n.Op is not Weight && n.Type.Layout == Layout.RowMajor && n.Shape[-1].Value > c.hop);
        Assert.True(LegalizeCheck.Count(t, "ttnn.permute") <= 1, LegalizeCheck.Census(t));
    });

    [Property(MaxTest = 40)]
    public Property ConvTransposeAsConvTranspose2dEqualsTheNnOp() => Prop.ForAll(
        (from cin in Gen.Choose(1, 4) from cout in Gen.Choose(1, 4) from len in Gen.Choose(1, 20) from k in Gen.Choose(1, 8)
         from s in Gen.Choose(1, 4) from p in Gen.Choose(0, 3) from op in Gen.Choose(0, 3) from seed in Gen.Choose(0, int.MaxValue - 1)
         where op < s && (len - 1) * s - 2 * p + k + op > 0
         select (cin, cout, len, k, s, p, op, seed)).ToArbitrary(), c =>
    {
        var rng = new CaseRng(c.seed);
        var x = rng.Normal(1, c.cin, c.len);
        var w = Weight.Create("up.weight", rng.Normal(c.cin, c.cout, c.k));
        var b = Weight.Create("up.bias", rng.Normal(c.cout));
        var g = RuleCheck.Build("up", [TensorType.F32(x.Shape)], n => Nn.ConvTranspose1d(n[0], w, bias: b, stride: c.s, padding: c.p, outputPadding: c.op));
        var t = LegalizeCheck.Legalize(g, new LoweringOptions { ConvTransposeAsConvTranspose2d = true });
        LegalizeCheck.Same(g, t, [x], 1e-5, c.ToString());
        var conv = Assert.Single(t.Nodes, n => n.Op is ConvTranspose2d);
        Assert.Equal(new Shape(c.cin, c.cout, 1, c.k), conv.Inputs[1].Shape);
    });

    [Property(MaxTest = 30)]
    public Property Conv2dEqualsTheNnOp() => Prop.ForAll(
        (from n in Gen.Choose(1, 2) from cin in Gen.Choose(1, 4) from cout in Gen.Choose(1, 4) from h in Gen.Choose(3, 12) from wd in Gen.Choose(3, 12)
         from k in Gen.Choose(1, 3) from s in Gen.Choose(1, 2) from p in Gen.Choose(0, 1) from chain in Gen.Elements(true, false)
         from seed in Gen.Choose(0, int.MaxValue - 1) select (n, cin, cout, h, wd, k, s, p, chain, seed)).ToArbitrary(), c =>
    {
        var rng = new CaseRng(c.seed);
        var x = rng.Normal(c.n, c.cin, c.h, c.wd);
        var w = Weight.Create("c.weight", rng.Normal(c.cout, c.cin, c.k, c.k));
        var b = Weight.Create("c.bias", rng.Normal(c.cout));
        var w2 = Weight.Create("c2.weight", rng.Normal(3, c.cout, 3, 3));
        var g = RuleCheck.Build("conv2d", [TensorType.F32(x.Shape)], v =>
        {
            var y = Nn.Relu(Nn.Conv2d(v[0], w, bias: b, stride: [c.s, c.s], padding: [c.p, c.p]));
            return c.chain ? Nn.Relu(Nn.Conv2d(y, w2, stride: [2, 2], padding: [1, 1])) : y;
        });
        var t = LegalizeCheck.Legalize(g);
        LegalizeCheck.Same(g, t, [x], 1e-5, c.ToString());
        // ReLU and the next conv read the flattened NHWC output as it is.
        Assert.Equal(c.chain ? 2 : 1, LegalizeCheck.Count(t, "ttnn.conv2d"));
        Assert.True(LegalizeCheck.Count(t, "ttnn.permute") <= 2, LegalizeCheck.Census(t));
    });

    [Fact]
    public void AComputedConvWeightHasNoLowering()
    {
        var g = RuleCheck.Build("conv", [TensorType.F32(1, 2, 8), TensorType.F32(3, 2, 3)], n => Nn.Conv1d(n[0], n[1]));
        var e = Assert.Throws<VoxTileException>(() => new VoxTile.Lowering.Rules.Legalize.LegalizeTtnnPass().Run(g, RuleCheck.Context()));
        Assert.StartsWith("nn.conv1d (value %0, from %in0) has no TTNN lowering: its weight is computed on the device", e.Message);
    }
}
