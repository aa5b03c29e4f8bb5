using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using VoxTile.IR;
using VoxTile.IR.Ops.Graph;
using VoxTile.IR.Ops.Linear;
using VoxTile.Lowering.Rules.Decompose;
using VoxTile.Testing;

namespace VoxTile.Lowering.Tests.Rules.Decompose;

public sealed class DecomposeCumsumTests
{
    public sealed record Case(int[] Shape, int Axis, bool Integers, int Seed)
    {
        public override string ToString() => $"Case([{string.Join(",", Shape)}], axis {Axis}, integers {Integers}, seed {Seed})";
    }

    /// <summary>The scan axis up to ~3000 (tiles of 32 and a second level of carry), the other axes small.</summary>
    private static Gen<Case> Cases =>
        from rank in Gen.Choose(1, 3)
        from axis in Gen.Choose(-rank, rank - 1)
        from length in Gen.OneOf(Gen.Choose(1, 70), Gen.Choose(1, 3000))
        from others in Gen.Choose(1, 3).ArrayOf(rank)
        from integers in Gen.Elements(true, false)
        from seed in Gen.Choose(0, int.MaxValue - 1)
        select new Case([.. others.Select((d, i) => i == (axis + rank) % rank ? length : d)], axis, integers, seed);

    [Property(MaxTest = 60)]
    public Property EqualsTheOpOnRandomShapes() => Prop.ForAll(Cases.ToArbitrary(), c =>
    {
        var rng = new CaseRng(c.Seed);
        var x = c.Integers ? rng.Integers(0, 9, c.Shape) : rng.Normal(c.Shape);
        var g = RuleCheck.Build("cumsum", [TensorType.F32(c.Shape)], n => Nn.Cumsum(n[0], axis: c.Axis));
        var d = RuleCheck.Apply(g, new DecomposeCumsum());
        Assert.False(RuleCheck.Contains(d, "nn.cumsum"), c.ToString());
        // Every matmul multiplies by a prefix-sum matrix marked exact, so legalization keeps it in f32.
        Assert.All(d.Nodes.Where(n => n.Op is MatMul), m => Assert.True(m.Inputs[1].Op is Weight { Exact: true }, m.Inputs[1].ToString()));
        var expected = RuleCheck.Run(g, x);
        var actual = RuleCheck.Run(d, x);
        // Integer durations must come out exact; real values only to fp32 rounding of a different summation order.
        if (c.Integers) RuleCheck.Exact(actual, expected, c.ToString());
        else RuleCheck.Close(actual, expected, 1e-5 * Math.Sqrt(c.Shape.Max()), c.ToString());
    });

    /// <summary>Sums past bf16's 256 and up to fp32's 2²⁴ stay exact: the bug of earlier ports' bf16 cumsum.</summary>
    [Fact]
    public void LargeIntegerSumsStayExact()
    {
        var x = new CaseRng(7).Integers(0, 5000, 2, 3000); // totals near 7.5M < 2^24
        var g = RuleCheck.Build("cumsum", [TensorType.F32(2, 3000)], n => Nn.Cumsum(n[0], axis: 1));
        var d = RuleCheck.Apply(g, new DecomposeCumsum());
        RuleCheck.Exact(RuleCheck.Run(d, x), RuleCheck.Run(g, x), "cumsum of 3000 values up to 5000");
    }

    /// <summary>A prefix sum, not a suffix sum: [2, 3, 1] → [2, 5, 6] (the tril-matrix bug of an earlier port gave [6, 4, 1]).</summary>
    [Fact]
    public void IsAPrefixSum()
    {
        var g = RuleCheck.Build("cumsum", [TensorType.F32(1, 3)], n => Nn.Cumsum(n[0], axis: -1));
        var d = RuleCheck.Apply(g, new DecomposeCumsum());
        Assert.Equal([2f, 5f, 6f], RuleCheck.Run(d, new Tensor([1, 3], [2, 3, 1])).Data);
    }

    [Fact]
    public void DoesNotFireOnASymbolicScanOrOtherOps()
    {
        var t = new TensorType(DType.F32, new Shape([Dim.Of(2), Dim.Sym("T")]));
        var g = RuleCheck.Build("cumsum", [t], n => Nn.Exp(Nn.Cumsum(n[0], axis: 1)));
        var ctx = RuleCheck.Context();
        var d = RuleCheck.Apply(g, ctx, new DecomposeCumsum());
        Assert.Equal(g.ToString(), d.ToString());
        Assert.Contains(ctx.Diagnostics, m => m.Contains("decompose-cumsum"));
    }

    /// <summary>A symbolic axis other than the scan's (a batch) is fine: the reshapes carry it as −1.</summary>
    [Fact]
    public void FiresWithASymbolicBatch()
    {
        var t = new TensorType(DType.F32, new Shape([Dim.Sym("B"), Dim.Of(100)]));
        var g = RuleCheck.Build("cumsum", [t], n => Nn.Cumsum(n[0], axis: 1));
        var d = RuleCheck.Apply(g, new DecomposeCumsum());
        Assert.False(RuleCheck.Contains(d, "nn.cumsum"));
        var x = new CaseRng(2).Integers(0, 9, 3, 100);
        RuleCheck.Exact(RuleCheck.Run(d, x), RuleCheck.Run(g, x), "symbolic batch");
    }

    [GoldenFact("ops")]
    public void MatchesPyTorchGolden()
    {
        var x = Golden.Load("ops", "cumsum_x");
        var g = RuleCheck.Build("cumsum", [TensorType.F32(x.Shape)], n => Nn.Cumsum(n[0], axis: -1));
        var d = RuleCheck.Apply(g, new DecomposeCumsum());
        // cumsum_x holds real values: torch accumulates them in double, the fp32 matmuls (like the device) in float,
        // so the two differ in the last bit here and there (14.402671 vs 14.40267). Bit-exactness is for whole numbers.
        Compare.AssertClose(RuleCheck.Run(d, x), Golden.Load("ops", "cumsum_y"), "cumsum", relTol: 1e-6);
        // The same inputs rounded to whole frames, as durations are: exact.
        var xi = new Tensor(x.Shape, [.. x.Data.Select(MathF.Ceiling)]);
        RuleCheck.Exact(RuleCheck.Run(d, xi), RuleCheck.Run(g, xi), "cumsum of ceil(cumsum_x)");
    }
}
