using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using VoxTile.IR.Ops.Sequence;
using VoxTile.IR.Tests.Support;
using Xunit.Abstractions;

namespace VoxTile.IR.Tests.Ops.Sequence;

public sealed class CumsumTests(ITestOutputHelper output)
{
    public sealed record Case(int[] Shape, int Axis, bool Integers, int Seed)
    {
        public override string ToString() => $"Case({Nd.Show(Shape)}, axis {Axis}, integers {Integers}, seed {Seed})";
    }

    internal static Gen<Case> Cases =>
        from shape in Gen.Choose(1, 9).ArrayOf().Where(a => a.Length is >= 1 and <= 4)
        from axis in Gen.Choose(-shape.Length, shape.Length - 1)
        from integers in Gen.Elements(true, false)
        from seed in Gen.Choose(0, int.MaxValue - 1)
        select new Case(shape, axis, integers, seed);

    /// <summary>Inclusive prefix sum: y[…, i, …] = Σ_{k ≤ i} x[…, k, …]. Durations (integers) must sum exactly.</summary>
    [Property(MaxTest = 80)]
    public Property MatchesNaiveDefinition() => Prop.ForAll(Cases.ToArbitrary(), c =>
    {
        var rng = new Rng(c.Seed);
        var x = c.Integers ? rng.Integers(0, 9, c.Shape) : rng.Normal(c.Shape);
        int axis = c.Axis < 0 ? c.Axis + c.Shape.Length : c.Axis;
        var y = OneNode.Run(n => Nn.Cumsum(n[0], axis: c.Axis), x);
        var expected = Nd.Map(c.Shape, i =>
        {
            var j = (int[])i.Clone();
            double s = 0;
            for (j[axis] = 0; j[axis] <= i[axis]; j[axis]++) s += x.Data[Nd.Ravel(j, c.Shape)];
            return s;
        });
        if (c.Integers) Near.Exact(y, c.Shape, expected, c.ToString());
        else Near.Tensor(y, c.Shape, expected, 1e-6, c.ToString());
    });

    [Fact]
    public void RejectsAnAxisOutOfRange()
    {
        Assert.Contains("axis", BadType.Expect(new Cumsum { Axis = 2 }, TensorType.F32(3, 4)));
        Assert.Contains("axis", BadType.Expect(new Cumsum(), new TensorType(DType.F32, Shape.Scalar)));
    }

    [Fact]
    public void MatchesPyTorchGoldenExactly()
    {
        if (!GoldenOps.Available(output)) return;
        var y = OneNode.Run(n => Nn.Cumsum(n[0], axis: -1), GoldenOps.Load("cumsum_x"));
        Near.Exact(y, GoldenOps.Load("cumsum_y"), "cumsum");
    }
}
