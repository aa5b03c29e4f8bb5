using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using VoxTile.IR;
using VoxTile.IR.Ops.Conv;
using VoxTile.IR.Ops.Graph;
using VoxTile.Lowering.Passes;
using VoxTile.Lowering.Rules.Decompose;
using VoxTile.Testing;

namespace VoxTile.Lowering.Tests.Rules.Decompose;

public sealed class LowerConvTransposeToPolyphaseTests
{
    public sealed record Case(int Batch, int Groups, int InPerGroup, int OutPerGroup, int Length, int Kernel, int Stride,
        int Padding, int OutputPadding, bool Bias, bool ConstantWeight, int Seed)
    {
        public int OutLength => (Length - 1) * Stride - 2 * Padding + Kernel + OutputPadding;

        public override string ToString() =>
            $"Case(B {Batch}, groups {Groups}, cin/g {InPerGroup}, cout/g {OutPerGroup}, L {Length}, k {Kernel}, s {Stride}, p {Padding}, op {OutputPadding}, bias {Bias}, const w {ConstantWeight}, seed {Seed})";
    }

    private static Gen<Case> Cases =>
        from b in Gen.Choose(1, 2)
        from groups in Gen.Choose(1, 3)
        from cin in Gen.Choose(1, 3)
        from cout in Gen.Choose(1, 3)
        from length in Gen.OneOf(Gen.Choose(1, 12), Gen.Choose(1, 400))
        from k in Gen.Choose(1, 16)
        from s in Gen.Choose(1, 8)
        from p in Gen.Choose(0, k + s)
        from op in Gen.Choose(0, s - 1)
        from bias in Gen.Elements(true, false)
        from constant in Gen.Elements(true, false)
        from seed in Gen.Choose(0, int.MaxValue - 1)
        let c = new Case(b, groups, cin, cout, length, k, s, p, op, bias, constant, seed)
        where c.OutLength > 0
        select c;

    [Property(MaxTest = 100)]
    public Property EqualsTheOpOnRandomAttributes() => Prop.ForAll(Cases.ToArbitrary(), c =>
    {
        var rng = new CaseRng(c.Seed);
        var x = rng.Normal(c.Batch, c.Groups * c.InPerGroup, c.Length);
        var w = rng.Normal(c.Groups * c.InPerGroup, c.OutPerGroup, c.Kernel);
        var bias = rng.Normal(c.Groups * c.OutPerGroup);
        // The weight either as a model weight (re-sliced at compile time) or as an input (re-sliced by graph ops).
        var types = new List<TensorType> { TensorType.F32(x.Shape) };
        if (!c.ConstantWeight) types.Add(TensorType.F32(w.Shape));
        var g = RuleCheck.Build("convt", types, n =>
        {
            var weight = c.ConstantWeight ? Weight.Create("up.weight", w) : n[1];
            var b = c.Bias ? Weight.Create("up.bias", bias) : null;
            return Nn.ConvTranspose1d(n[0], weight, bias: b, stride: c.Stride, padding: c.Padding, outputPadding: c.OutputPadding, groups: c.Groups);
        });
        var d = RuleCheck.Apply(g, new LowerConvTransposeToPolyphase());
        Assert.False(RuleCheck.Contains(d, "nn.conv_transpose1d"), c.ToString());
        int taps = (c.Kernel + c.Stride - 1) / c.Stride;
        Assert.All(d.Nodes.Where(n => n.Op is Conv1d), n =>
        {
            Assert.Equal(1, ((Conv1d)n.Op).Stride);
            Assert.True(n.Inputs[1].Shape[2].Value <= taps, $"{c}: a phase of {n.Inputs[1].Shape[2]} taps");
        });
        if (c.ConstantWeight)
            Assert.All(d.Weights.Where(wt => wt.Key != "up.bias"), wt => Assert.StartsWith("const.", wt.Key));
        Tensor[] inputs = c.ConstantWeight ? [x] : [x, w];
        RuleCheck.Close(RuleCheck.Run(d, inputs), RuleCheck.Run(g, inputs), 1e-5, c.ToString());
    });

    [Fact]
    public void DoesNotFireForDilationOrWhenConvTranspose2dIsAsked()
    {
        var x = TensorType.F32(1, 2, 10);
        var w = Weight.Create("w", new CaseRng(1).Normal(2, 3, 4));
        var dilated = RuleCheck.Build("convt", [x], n => Nn.ConvTranspose1d(n[0], w, stride: 2, dilation: 2));
        var ctx = RuleCheck.Context();
        Assert.Equal(dilated.ToString(), RuleCheck.Apply(dilated, ctx, new LowerConvTransposeToPolyphase()).ToString());
        Assert.Contains(ctx.Diagnostics, m => m.Contains("dilation"));

        var plain = RuleCheck.Build("convt", [x], n => Nn.ConvTranspose1d(n[0], w, stride: 2, padding: 1));
        var asked = RuleCheck.Context(new LoweringOptions { ConvTransposeAsConvTranspose2d = true });
        Assert.Equal(plain.ToString(), RuleCheck.Apply(plain, asked, new LowerConvTransposeToPolyphase()).ToString());
        Assert.False(RuleCheck.Contains(RuleCheck.Apply(plain, new LowerConvTransposeToPolyphase()), "nn.conv_transpose1d"));
    }

    [GoldenTheory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void MatchesPyTorchGolden(int index)
    {
        string name = $"convt{index}";
        var x = Golden.Load("ops", name + "_x");
        var w = Weight.Create(name + ".weight", Golden.Load("ops", name + "_w"));
        var b = Weight.Create(name + ".bias", Golden.Load("ops", name + "_b"));
        var (stride, padding) = GoldenParams(name);
        var g = RuleCheck.Build(name, [TensorType.F32(x.Shape)], n => Nn.ConvTranspose1d(n[0], w, bias: b, stride: stride, padding: padding));
        var d = RuleCheck.Apply(g, new LowerConvTransposeToPolyphase());
        Assert.False(RuleCheck.Contains(d, "nn.conv_transpose1d"));
        Compare.AssertClose(RuleCheck.Run(d, x), Golden.Load("ops", name + "_y"), name);
    }

    private static (int Stride, int Padding) GoldenParams(string name)
    {
        using var doc = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(Golden.Case("ops")!, "manifest.json")));
        var p = doc.RootElement.GetProperty("params").GetProperty(name);
        return (p.GetProperty("stride").GetInt32(), p.GetProperty("padding").GetInt32());
    }
}
