using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using VoxTile.IR;
using VoxTile.Lowering.Rules.Decompose;
using VoxTile.Testing;

namespace VoxTile.Lowering.Tests.Rules.Decompose;

public sealed class DecomposeGruTests
{
    public sealed record Case(int Batch, int Steps, int InSize, int Hidden, bool H0, int Seed)
    {
        public override string ToString() => $"Case(B {Batch}, T {Steps}, I {InSize}, H {Hidden}, h0 {H0}, seed {Seed})";
    }

    private static Gen<Case> Cases =>
        from b in Gen.Choose(1, 3)
        from t in Gen.OneOf(Gen.Choose(1, 8), Gen.Choose(1, 200))
        from i in Gen.Choose(1, 8)
        from h in Gen.Choose(1, 8)
        from h0 in Gen.Elements(true, false)
        from seed in Gen.Choose(0, int.MaxValue - 1)
        select new Case(b, t, i, h, h0, seed);

    [Property(MaxTest = 40)]
    public Property EqualsTheOpOnRandomSequences() => Prop.ForAll(Cases.ToArbitrary(), c =>
    {
        var rng = new CaseRng(c.Seed);
        int h = c.Hidden;
        var inputs = new List<Tensor>
        {
            rng.Normal(c.Batch, c.Steps, c.InSize),
            rng.Uniform(-0.7, 0.7, 3 * h, c.InSize), rng.Uniform(-0.7, 0.7, 3 * h, h),
            rng.Uniform(-0.5, 0.5, 3 * h), rng.Uniform(-0.5, 0.5, 3 * h),
        };
        if (c.H0) inputs.Add(rng.Uniform(-1, 1, c.Batch, h));
        var g = RuleCheck.Build("gru", [.. inputs.Select(t => TensorType.F32(t.Shape))],
            n => Nn.Gru(n[0], n[1], n[2], n[3], n[4], c.H0 ? n[5] : null));
        var d = RuleCheck.Apply(g, new DecomposeGru());
        Assert.False(RuleCheck.Contains(d, "nn.gru"));
        // One linear for all input projections, one per step for the recurrence (none for step 0 without h0).
        Assert.Equal(1 + c.Steps - (c.H0 ? 0 : 1), d.Nodes.Count(n => n.Op.Name == "nn.linear"));
        RuleCheck.Close(RuleCheck.Run(d, [.. inputs]), RuleCheck.Run(g, [.. inputs]), 2e-5, c.ToString());
    });

    [Fact]
    public void DoesNotFireOnASymbolicSequence()
    {
        var x = new TensorType(DType.F32, new Shape([Dim.Of(1), Dim.Sym("T"), Dim.Of(3)]));
        var g = RuleCheck.Build("gru", [x, TensorType.F32(6, 3), TensorType.F32(6, 2), TensorType.F32(6), TensorType.F32(6)],
            n => Nn.Gru(n[0], n[1], n[2], n[3], n[4]));
        Assert.Equal(g.ToString(), RuleCheck.Apply(g, new DecomposeGru()).ToString());
    }

    /// <summary>With the slice forwarding of the decompose pass, a consumer of the last state does not keep the other steps' concat.</summary>
    [Fact]
    public void LastStateConsumersSkipTheConcat()
    {
        var g = RuleCheck.Build("gru", [TensorType.F32(1, 5, 3), TensorType.F32(6, 3), TensorType.F32(6, 2), TensorType.F32(6), TensorType.F32(6)],
            n => Nn.Slice(Nn.Gru(n[0], n[1], n[2], n[3], n[4]), 1, 4, end: 5));
        var d = RuleCheck.Apply(g, new DecomposeGru(), new ForwardSliceThroughConcat());
        Assert.False(RuleCheck.Contains(d, "nn.concat"));
    }

    [GoldenFact("ops")]
    public void MatchesPyTorchGolden()
    {
        Tensor[] inputs = [.. new[] { "gru_x", "gru_weight_ih_l0", "gru_weight_hh_l0", "gru_bias_ih_l0", "gru_bias_hh_l0" }.Select(f => Golden.Load("ops", f))];
        var g = RuleCheck.Build("gru", [.. inputs.Select(t => TensorType.F32(t.Shape))], n => Nn.Gru(n[0], n[1], n[2], n[3], n[4]));
        var d = RuleCheck.Apply(g, new DecomposeGru());
        var y = RuleCheck.Run(d, inputs);
        Compare.AssertClose(y, Golden.Load("ops", "gru_y"), "gru states");
        var golden = Golden.Load("ops", "gru_h"); // [1, B, H]: the last step
        int b = y.Shape[0], t = y.Shape[1], h = y.Shape[2];
        var last = new Tensor([1, b, h]);
        for (int i = 0; i < b; i++) Array.Copy(y.Data, (i * t + t - 1) * h, last.Data, i * h, h);
        Compare.AssertClose(last, golden, "gru final state");
    }
}
