using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using VoxTile.IR;
using VoxTile.Lowering.Rules.Decompose;

namespace VoxTile.Lowering.Tests.Rules.Decompose;

public sealed class DecomposeSequenceMaskTests
{
    public sealed record Case(int Batch, int Time, bool Fractional, int Seed)
    {
        public override string ToString() => $"Case(B {Batch}, T {Time}, fractional {Fractional}, seed {Seed})";
    }

    private static Gen<Case> Cases =>
        from b in Gen.Choose(1, 4)
        from t in Gen.OneOf(Gen.Choose(1, 40), Gen.Choose(1, 3000))
        from fractional in Gen.Elements(true, false)
        from seed in Gen.Choose(0, int.MaxValue - 1)
        select new Case(b, t, fractional, seed);

    [Property(MaxTest = 60)]
    public Property EqualsTheOpOnRandomLengths() => Prop.ForAll(Cases.ToArbitrary(), c =>
    {
        var rng = new CaseRng(c.Seed);
        // Lengths from below 0 to past T, whole or not: ties at t = length must compare as the op does.
        var lengths = c.Fractional ? rng.Uniform(-1, c.Time + 2, c.Batch) : rng.Integers(-1, c.Time + 2, c.Batch);
        var like = new Tensor([c.Batch, 2, c.Time]);
        var g = RuleCheck.Build("mask", [TensorType.F32(c.Batch), TensorType.F32(c.Batch, 2, c.Time)], n => Nn.SequenceMask(n[0], n[1]));
        var d = RuleCheck.Apply(g, new DecomposeSequenceMask());
        Assert.False(RuleCheck.Contains(d, "nn.sequence_mask"));
        Assert.True(RuleCheck.Contains(d, "nn.lt"));
        RuleCheck.Exact(RuleCheck.Run(d, lengths, like), RuleCheck.Run(g, lengths, like), c.ToString());
    });

    [Fact]
    public void DoesNotFireOnASymbolicTimeAxis()
    {
        var like = new TensorType(DType.F32, new Shape([Dim.Of(1), Dim.Of(4), Dim.Sym("T")]));
        var g = RuleCheck.Build("mask", [TensorType.F32(1), like], n => Nn.SequenceMask(n[0], n[1]));
        var d = RuleCheck.Apply(g, new DecomposeSequenceMask());
        Assert.Equal(g.ToString(), d.ToString());
    }
}
