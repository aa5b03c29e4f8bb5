using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using VoxTile.IR.Ops.Elementwise;
using VoxTile.IR.Tests.Support;

namespace VoxTile.IR.Tests.Ops.Elementwise;

public sealed class WhereTests
{
    public sealed record Case(int[] Cond, int[] Lhs, int[] Rhs, int Seed)
    {
        public override string ToString() => $"Case(cond {Nd.Show(Cond)}, lhs {Nd.Show(Lhs)}, rhs {Nd.Show(Rhs)}, seed {Seed})";
    }

    internal static Gen<Case> Cases =>
        from outShape in Gen.Choose(1, 4).ArrayOf().Where(a => a.Length <= 4)
        from c in Operand(outShape)
        from a in Operand(outShape)
        from b in Operand(outShape)
        from seed in Gen.Choose(0, int.MaxValue - 1)
        select new Case(c, a, b, seed);

    private static Gen<int[]> Operand(int[] outShape) =>
        from rank in Gen.Choose(0, outShape.Length)
        from ones in Gen.Elements(false, true).ArrayOf(rank)
        select outShape[(outShape.Length - rank)..].Select((d, i) => ones[i] ? 1 : d).ToArray();

    /// <summary>torch.where(cond, a, b) with all three broadcast: a where cond ≠ 0, else b — NaN in the other branch included.</summary>
    [Property(MaxTest = 80)]
    public Property MatchesNaiveDefinition() => Prop.ForAll(Cases.ToArbitrary(), c =>
    {
        var rng = new Rng(c.Seed);
        var cond = rng.Integers(0, 1, c.Cond);
        var a = rng.Normal(c.Lhs);
        var b = rng.Normal(c.Rhs);
        for (int i = 0; i < b.Data.Length; i += 3) b.Data[i] = float.NaN;
        var y = OneNode.Run(n => Nn.Where(n[0], n[1], n[2]), cond, a, b);
        int rank = new[] { c.Cond.Length, c.Lhs.Length, c.Rhs.Length }.Max();
        var shape = Enumerable.Range(0, rank).Select(i => new[] { c.Cond, c.Lhs, c.Rhs }.Max(s => i - (rank - s.Length) >= 0 ? s[i - (rank - s.Length)] : 1)).ToArray();
        Near.Exact(y, shape, Nd.Map(shape, i => At(cond, i) != 0 ? At(a, i) : At(b, i)), c.ToString());
    });

    private static float At(Tensor t, int[] outIndex)
    {
        long off = 0;
        for (int d = 0; d < t.Rank; d++) off = off * t.Shape[d] + (t.Shape[d] == 1 ? 0 : outIndex[outIndex.Length - t.Rank + d]);
        return t.Data[off];
    }

    [Fact]
    public void RejectsBadOperands()
    {
        Assert.Contains("broadcast", BadType.Expect(new Where(), TensorType.F32(3), TensorType.F32(2, 4), TensorType.F32(4)));
        Assert.Contains("broadcast", BadType.Expect(new Where(), TensorType.F32(2, 1), TensorType.F32(3), TensorType.F32(2)));
        Assert.Contains("dtype", BadType.Expect(new Where(), TensorType.F32(3), TensorType.F32(3), new TensorType(DType.BF16, new Shape(3))));
    }
}
