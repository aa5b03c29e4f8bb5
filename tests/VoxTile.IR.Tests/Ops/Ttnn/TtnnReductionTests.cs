using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using VoxTile.IR.Ops.Ttnn;
using VoxTile.IR.Tests.Support;
using Tt = VoxTile.IR.Ttnn;

namespace VoxTile.IR.Tests.Ops.Ttnn;

/// <summary>ttnn.sum, ttnn.mean and ttnn.cumsum.</summary>
public sealed class TtnnReductionTests
{
    public sealed record Case(int[] Shape, int[] Dims, bool Keepdim, int Seed)
    {
        public override string ToString() => $"Case({TtnnCheck.Show(Shape)}, dim {TtnnCheck.Show(Dims)}, keepdim {Keepdim}, seed {Seed})";
    }

    /// <summary>A non-empty set of distinct axes, some written negative.</summary>
    internal static Gen<Case> Cases =>
        from shape in TtnnCheck.Shape(1, 4, 4)
        from pick in Gen.Elements(false, true).ArrayOf(shape.Length)
        from neg in Gen.Elements(false, true).ArrayOf(shape.Length)
        from first in Gen.Choose(0, shape.Length - 1)
        from keep in Gen.Elements(false, true)
        from seed in Gen.Choose(0, int.MaxValue - 1)
        select new Case(shape, [.. Enumerable.Range(0, shape.Length).Where(i => pick[i] || i == first).Select(i => neg[i] ? i - shape.Length : i)], keep, seed);

    [Property(MaxTest = 100)]
    public Property SumAndMeanMatchTheDefinition() => Prop.ForAll(Cases.ToArbitrary(), c =>
    {
        var x = new Rng(c.Seed).Integers(-5, 5, c.Shape);
        var axes = c.Dims.Select(d => d < 0 ? d + c.Shape.Length : d).ToHashSet();
        var kept = c.Shape.Select((d, i) => axes.Contains(i) ? 1 : d).ToArray();
        var outShape = c.Keepdim ? kept : [.. c.Shape.Where((d, i) => !axes.Contains(i))];
        var sums = new double[Tensor.Count(kept)];
        for (long i = 0; i < x.Length; i++)
        {
            var idx = Nd.Unravel(i, c.Shape);
            foreach (var a in axes) idx[a] = 0;
            sums[Nd.Ravel(idx, kept)] += x.Data[i];
        }
        long count = axes.Aggregate(1L, (p, a) => p * c.Shape[a]);
        var sum = TtnnCheck.Run(n => Tt.Sum(n[0], c.Dims, keepdim: c.Keepdim), TtnnCheck.F32Types(x), x);
        Near.Exact(sum, outShape, sums, c.ToString());
        var mean = TtnnCheck.Run(n => Tt.Mean(n[0], c.Dims, keepdim: c.Keepdim), TtnnCheck.F32Types(x), x);
        Near.Tensor(mean, outShape, [.. sums.Select(s => s / count)], 1e-7, c.ToString());
    });

    [Property(MaxTest = 100)]
    public Property CumsumEqualsNnCumsum() => Prop.ForAll(Cases.ToArbitrary(), c =>
    {
        var x = new Rng(c.Seed).Normal(c.Shape);
        var y = TtnnCheck.Run(n => Tt.Cumsum(n[0], c.Dims[0]), TtnnCheck.F32Types(x), x);
        TtnnCheck.Close(y, TtnnCheck.Run(n => Nn.Cumsum(n[0], axis: c.Dims[0]), TtnnCheck.F32Types(x), x), 0, c.ToString());
    });

    [Fact]
    public void RejectsBadOperands()
    {
        Assert.Contains("at least one", BadType.Expect(new Sum { Dim = [] }, TtnnCheck.F32(2, 3)));
        Assert.Contains("distinct", BadType.Expect(new Mean { Dim = [1, -1] }, TtnnCheck.F32(2, 3)));
        Assert.Contains("distinct", BadType.Expect(new Sum { Dim = [2] }, TtnnCheck.F32(2, 3)));
        Assert.Contains("float", BadType.Expect(new Sum { Dim = [0] }, TtnnCheck.Of(DType.U32, 2, 3)));
        Assert.Contains("out of range", BadType.Expect(new Cumsum { Dim = 2 }, TtnnCheck.F32(2, 3)));
        Assert.Contains("rank", BadType.Expect(new Cumsum { Dim = 0 }, TtnnCheck.F32(1, 1, 1, 1, 1, 2)));
    }
}
