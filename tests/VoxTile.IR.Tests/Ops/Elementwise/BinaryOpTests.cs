using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using VoxTile.IR.Tests.Support;

namespace VoxTile.IR.Tests.Ops.Elementwise;

/// <summary>
/// The laws every two-operand elementwise op keeps, with NumPy broadcasting; each op's test class (AddTests, LessTests, …)
/// derives from this and gives its naive definition.
/// </summary>
public abstract class BinaryOpTests
{
    public sealed record Case(int[] Lhs, int[] Rhs, bool Integers, int Seed)
    {
        public override string ToString() => $"Case([{string.Join(",", Lhs)}] ∘ [{string.Join(",", Rhs)}], integers {Integers}, seed {Seed})";
    }

    /// <summary>An output shape, and each operand a suffix of it with some dims set to 1 (so either side may broadcast).</summary>
    internal static Gen<Case> Cases =>
        from outShape in Gen.Choose(1, 5).ArrayOf().Where(a => a.Length <= 4)
        from lhs in Operand(outShape)
        from rhs in Operand(outShape)
        from integers in Gen.Elements(false, true)
        from seed in Gen.Choose(0, int.MaxValue - 1)
        select new Case(lhs, rhs, integers, seed);

    private static Gen<int[]> Operand(int[] outShape) =>
        from rank in Gen.Choose(0, outShape.Length)
        from ones in Gen.Elements(false, true).ArrayOf(rank)
        select outShape[(outShape.Length - rank)..].Select((d, i) => ones[i] ? 1 : d).ToArray();

    protected abstract Node Build(Node a, Node b);
    protected abstract double Naive(double a, double b);
    protected abstract Op Instance { get; }

    protected virtual double RelTol => 1e-6;

    /// <summary>Values of the right operand (div keeps it away from zero).</summary>
    protected virtual float DrawRhs(Rng rng, bool integers) => integers ? rng.Int(-3, 3) : (float)rng.Uniform(-4, 4);

    [Property(MaxTest = 80)]
    public Property MatchesNaiveDefinition() => Prop.ForAll(Cases.ToArbitrary(), c =>
    {
        var rng = new Rng(c.Seed);
        var a = new Tensor(c.Lhs);
        var b = new Tensor(c.Rhs);
        for (int i = 0; i < a.Data.Length; i++) a.Data[i] = c.Integers ? rng.Int(-3, 3) : (float)rng.Uniform(-4, 4);
        for (int i = 0; i < b.Data.Length; i++) b.Data[i] = DrawRhs(rng, c.Integers);
        var y = OneNode.Run(n => Build(n[0], n[1]), a, b);

        // Broadcasting from the definition: align on the right, a size-1 axis repeats.
        int rank = Math.Max(a.Rank, b.Rank);
        var shape = new int[rank];
        for (int i = 0; i < rank; i++)
            shape[i] = Math.Max(i - (rank - a.Rank) >= 0 ? a.Shape[i - (rank - a.Rank)] : 1, i - (rank - b.Rank) >= 0 ? b.Shape[i - (rank - b.Rank)] : 1);
        var expected = new double[Tensor.Count(shape)];
        var index = new int[rank];
        for (int flat = 0; flat < expected.Length; flat++)
        {
            int rem = flat;
            for (int d = rank - 1; d >= 0; d--) { index[d] = rem % shape[d]; rem /= shape[d]; }
            expected[flat] = Naive(At(a, index), At(b, index));
        }
        Assert.True(y.Shape.SequenceEqual(shape), $"{c}: output {y.ShapeString}");
        Near.Elementwise(y, expected, RelTol, 0, c.ToString());
    });

    private static float At(Tensor t, int[] outIndex)
    {
        int off = 0;
        for (int d = 0; d < t.Rank; d++)
        {
            int i = outIndex[outIndex.Length - t.Rank + d];
            off = off * t.Shape[d] + (t.Shape[d] == 1 ? 0 : i);
        }
        return t.Data[off];
    }

    [Fact]
    public void BroadcastsSymbolicShapes()
    {
        var r = BadType.NeverThrows(Instance, BadType.F32(1, 192, Dim.Sym("T")), TensorType.F32(1, 192, 1));
        Assert.Equal(new Shape([1, 192, Dim.Sym("T")]), r.Type!.Shape);
        r = BadType.NeverThrows(Instance, BadType.F32(Dim.Sym("T", 8)), BadType.F32(2, 1, Dim.Sym("T", 8)));
        Assert.Equal(new Shape([2, 1, Dim.Sym("T", 8)]), r.Type!.Shape);
    }

    [Fact]
    public void RejectsBadOperands()
    {
        Assert.Contains("broadcast", BadType.Expect(Instance, TensorType.F32(2, 3), TensorType.F32(4, 3)));
        Assert.Contains("broadcast", BadType.Expect(Instance, BadType.F32(1, Dim.Sym("T")), TensorType.F32(1, 5)));
        Assert.Contains("broadcast", BadType.Expect(Instance, BadType.F32(Dim.Sym("T")), BadType.F32(Dim.Sym("T", 2))));
        Assert.Contains("dtype", BadType.Expect(Instance, TensorType.F32(2, 3), new TensorType(DType.BF16, new Shape(2, 3))));
    }
}
