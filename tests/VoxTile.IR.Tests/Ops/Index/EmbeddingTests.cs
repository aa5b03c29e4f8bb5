using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using VoxTile.IR.Ops.Index;
using VoxTile.IR.Tests.Support;

namespace VoxTile.IR.Tests.Ops.Index;

public sealed class EmbeddingTests
{
    public sealed record Case(int[] Ids, int Rows, int Hidden, int Seed)
    {
        public override string ToString() => $"Case(ids {Nd.Show(Ids)}, table [{Rows},{Hidden}], seed {Seed})";
    }

    internal static Gen<Case> Cases =>
        from ids in Gen.Choose(1, 6).ArrayOf().Where(a => a.Length <= 3)
        from rows in Gen.Choose(1, 20)
        from hidden in Gen.Choose(1, 12)
        from seed in Gen.Choose(0, int.MaxValue - 1)
        select new Case(ids, rows, hidden, seed);

    /// <summary>nn.Embedding: y[..., h] = table[ids[...], h].</summary>
    [Property(MaxTest = 60)]
    public Property MatchesNaiveDefinition() => Prop.ForAll(Cases.ToArbitrary(), c =>
    {
        var rng = new Rng(c.Seed);
        var ids = rng.Integers(0, c.Rows - 1, c.Ids);
        var table = rng.Normal(c.Rows, c.Hidden);
        var y = OneNode.Run(n => Nn.Embedding(n[0], n[1]), ids, table);
        int[] shape = [.. c.Ids, c.Hidden];
        Near.Exact(y, shape, Nd.Map(shape, i => table.Data[(int)ids.Data[Nd.Ravel(i[..^1], c.Ids)] * c.Hidden + i[^1]]), c.ToString());
    });

    [Theory]
    [InlineData(-1f)]
    [InlineData(5f)]
    [InlineData(1.5f)]
    [InlineData(float.NaN)]
    public void AnIdOutsideTheTableFailsAtRunTime(float id)
    {
        var e = Assert.Throws<VoxTileException>(() => OneNode.Run(n => Nn.Embedding(n[0], n[1]), new Tensor([2], [0, id]), new Tensor([5, 3])));
        Assert.Contains("outside the table", e.Message);
    }

    [Fact]
    public void RejectsBadOperands()
    {
        Assert.Contains("table", BadType.Expect(new Embedding(), TensorType.F32(1, 7), TensorType.F32(10)));
        Assert.Contains("table", BadType.Expect(new Embedding(), TensorType.F32(1, 7), BadType.F32(Dim.Sym("V"), 4)));
        Assert.Contains("dtype", BadType.Expect(new Embedding(), new TensorType(DType.I32, new Shape(1, 7)), TensorType.F32(10, 4)));
    }
}
