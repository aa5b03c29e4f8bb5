using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using VoxTile.IR;
using VoxTile.IR.Ops.Norm;
using VoxTile.Lowering.Rules.Decompose;
using VoxTile.Testing;

namespace VoxTile.Lowering.Tests.Rules.Decompose;

public sealed class DecomposeChannelLayerNormTests
{
    public sealed record Case(int[] Shape, int Axis, int Affine, int Seed)
    {
        public override string ToString() => $"Case([{string.Join(",", Shape)}], axis {Axis}, affine operands {Affine}, seed {Seed})";
    }

    private static Gen<Case> Cases =>
        from rank in Gen.Choose(2, 4)
        from axis in Gen.Choose(0, rank - 2)
        from shape in Gen.Choose(1, 12).ArrayOf(rank)
        from wide in Gen.Choose(1, 600)
        from affine in Gen.Choose(0, 2)
        from seed in Gen.Choose(0, int.MaxValue - 1)
        select new Case([.. shape.Select((d, i) => i == rank - 1 ? wide : d)], axis, affine, seed);

    [Property(MaxTest = 60)]
    public Property EqualsTheOpOnNonLastAxes() => Prop.ForAll(Cases.ToArbitrary(), c =>
    {
        var rng = new CaseRng(c.Seed);
        int size = c.Shape[c.Axis];
        var x = rng.Normal(c.Shape);
        var gamma = rng.Normal(size);
        var beta = rng.Normal(size);
        TensorType[] types = [TensorType.F32(c.Shape), .. Enumerable.Repeat(TensorType.F32(size), c.Affine)];
        var g = RuleCheck.Build("ln", types, n => Nn.LayerNorm(n[0], c.Affine > 0 ? n[1] : null, c.Affine > 1 ? n[2] : null, axis: c.Axis, eps: 1e-5f));
        var d = RuleCheck.Apply(g, new DecomposeChannelLayerNorm());
        Assert.All(d.Nodes.Where(n => n.Op is LayerNorm), n => Assert.Equal(-1, ((LayerNorm)n.Op).Axis));
        Tensor[] inputs = [x, .. new[] { gamma, beta }.Take(c.Affine)];
        RuleCheck.Close(RuleCheck.Run(d, inputs), RuleCheck.Run(g, inputs), 1e-5, c.ToString());
    });

    [Fact]
    public void DoesNotFireOnTheLastAxis()
    {
        var g = RuleCheck.Build("ln", [TensorType.F32(1, 4, 9)], n => Nn.LayerNorm(n[0], axis: -1));
        Assert.Equal(g.ToString(), RuleCheck.Apply(g, new DecomposeChannelLayerNorm()).ToString());
        var g2 = RuleCheck.Build("ln", [TensorType.F32(1, 4, 9)], n => Nn.LayerNorm(n[0], axis: 2));
        Assert.Equal(g2.ToString(), RuleCheck.Apply(g2, new DecomposeChannelLayerNorm()).ToString());
    }

    [GoldenFact("ops")]
    public void MatchesPyTorchGolden()
    {
        var x = Golden.Load("ops", "ln_x");
        var gamma = Golden.Load("ops", "ln_gamma");
        var beta = Golden.Load("ops", "ln_beta");
        var g = RuleCheck.Build("ln", [TensorType.F32(x.Shape), TensorType.F32(gamma.Shape), TensorType.F32(beta.Shape)],
            n => Nn.LayerNorm(n[0], n[1], n[2], axis: 1, eps: 1e-5f));
        var d = RuleCheck.Apply(g, new DecomposeChannelLayerNorm());
        Compare.AssertClose(RuleCheck.Run(d, x, gamma, beta), Golden.Load("ops", "ln_y"), "channel layer norm");
    }
}
