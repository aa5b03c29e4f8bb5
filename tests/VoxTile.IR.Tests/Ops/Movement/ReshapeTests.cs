using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using VoxTile.IR.Ops.Movement;
using VoxTile.IR.Tests.Support;

namespace VoxTile.IR.Tests.Ops.Movement;

public sealed class ReshapeTests
{
    public sealed record Case(int[] From, int[] To, int Seed)
    {
        public override string ToString() => $"Case({Nd.Show(From)} → {Nd.Show(To)}, seed {Seed})";
    }

    /// <summary>Both shapes are factorisations of the same count built from the same prime factors; one target entry may be −1.</summary>
    internal static Gen<Case> Cases =>
        from factors in Gen.Elements(1, 2, 2, 3, 5).ArrayOf().Where(a => a.Length <= 6)
        from from_ in Split(factors)
        from order in Gen.Shuffle(factors)
        from to in Split(order)
        from infer in Gen.Choose(-1, to.Length - 1)
        from seed in Gen.Choose(0, int.MaxValue - 1)
        select new Case(from_, infer < 0 ? to : to.Select((d, i) => i == infer ? -1 : d).ToArray(), seed);

    private static Gen<int[]> Split(int[] factors) =>
        from rank in Gen.Choose(1, 4)
        from slots in Gen.Choose(0, rank - 1).ArrayOf(factors.Length)
        select Enumerable.Range(0, rank).Select(r => factors.Where((f, i) => slots[i] == r).Aggregate(1, (a, f) => a * f)).ToArray();

    /// <summary>A reshape keeps the row-major order of the elements: y.flat == x.flat, and −1 is the remaining count.</summary>
    [Property(MaxTest = 80)]
    public Property KeepsTheRowMajorOrder() => Prop.ForAll(Cases.ToArbitrary(), c =>
    {
        var x = new Rng(c.Seed).Normal(c.From);
        var y = OneNode.Run(n => Nn.Reshape(n[0], shape: c.To), x);
        long known = c.To.Where(d => d >= 0).Aggregate(1L, (a, d) => a * d);
        var shape = c.To.Select(d => d == -1 ? (int)(x.Length / known) : d).ToArray();
        Near.Exact(y, shape, [.. x.Data.Select(v => (double)v)], c.ToString());
    });

    [Fact]
    public void KeepsTheSymbolWhereTheSizesAllow()
    {
        var t = BadType.F32(1, 192, Dim.Sym("T"));
        Assert.Equal(new Shape([1, 1, 192, Dim.Sym("T")]), BadType.NeverThrows(new Reshape { Shape = [1, 1, 192, -1] }, t).Type!.Shape);
        Assert.Equal(new Shape([1, 96, Dim.Sym("T", 2)]), BadType.NeverThrows(new Reshape { Shape = [1, 96, -1] }, t).Type!.Shape);
        Assert.True(BadType.NeverThrows(new Reshape { Shape = [1, 384, -1] }, BadType.F32(1, 192, Dim.Sym("T"))).Type!.Shape[2].IsUnknown);
    }

    [Fact]
    public void RejectsBadShapes()
    {
        Assert.Contains("−1", BadType.Expect(new Reshape { Shape = [-1, -1] }, TensorType.F32(2, 3)));
        Assert.Contains("−1", BadType.Expect(new Reshape { Shape = [-2, 3] }, TensorType.F32(2, 3)));
        Assert.Contains("cannot reshape", BadType.Expect(new Reshape { Shape = [4, 2] }, TensorType.F32(2, 3)));
        Assert.Contains("cannot reshape", BadType.Expect(new Reshape { Shape = [4, -1] }, TensorType.F32(2, 3)));
        Assert.Contains("−1", BadType.Expect(new Reshape { Shape = [1, 192, 5] }, BadType.F32(1, 192, Dim.Sym("T"))));
    }
}
