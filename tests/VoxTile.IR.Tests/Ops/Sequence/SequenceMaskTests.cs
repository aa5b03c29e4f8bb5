using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using VoxTile.IR.Ops.Sequence;
using VoxTile.IR.Tests.Support;

namespace VoxTile.IR.Tests.Ops.Sequence;

public sealed class SequenceMaskTests
{
    public sealed record Case(int[] Like, bool Fractional, int Seed)
    {
        public override string ToString() => $"Case(like {Nd.Show(Like)}, fractional {Fractional}, seed {Seed})";
    }

    internal static Gen<Case> Cases =>
        from like in Gen.Choose(1, 9).ArrayOf().Where(a => a.Length is >= 2 and <= 4)
        from fractional in Gen.Elements(false, true)
        from seed in Gen.Choose(0, int.MaxValue - 1)
        select new Case(like, fractional, seed);

    /// <summary>mask[b, 0, t] = 1 if t &lt; lengths[b] else 0, over the last axis of <c>like</c>.</summary>
    [Property(MaxTest = 60)]
    public Property MatchesNaiveDefinition() => Prop.ForAll(Cases.ToArbitrary(), c =>
    {
        var rng = new Rng(c.Seed);
        int b = c.Like[0], len = c.Like[^1];
        var lengths = new Tensor([b]);
        for (int i = 0; i < b; i++) lengths.Data[i] = c.Fractional ? (float)rng.Uniform(-1, len + 2) : rng.Int(0, len + 1);
        var like = rng.Normal(c.Like);
        var y = OneNode.Run(n => Nn.SequenceMask(n[0], n[1]), lengths, like);
        Near.Exact(y, [b, 1, len], Nd.Map([b, 1, len], i => i[2] < lengths.Data[i[0]] ? 1 : 0), c.ToString());
    });

    [Fact]
    public void KeepsTheSymbolicTime()
    {
        var r = BadType.NeverThrows(new SequenceMask(), TensorType.F32(1), BadType.F32(1, 192, Dim.Sym("T")));
        Assert.Equal(new Shape([1, 1, Dim.Sym("T")]), r.Type!.Shape);
        Assert.Equal(DType.F32, r.Type.DType);
    }

    [Fact]
    public void RejectsBadOperands()
    {
        Assert.Contains("lengths", BadType.Expect(new SequenceMask(), TensorType.F32(2, 1), TensorType.F32(2, 3, 4)));
        Assert.Contains("like", BadType.Expect(new SequenceMask(), TensorType.F32(2), TensorType.F32(2)));
        Assert.Contains("batch", BadType.Expect(new SequenceMask(), TensorType.F32(3), TensorType.F32(2, 1, 4)));
    }
}
