using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using VoxTile.IR.Ops.Reduce;
using VoxTile.IR.Tests.Support;

namespace VoxTile.IR.Tests.Ops.Reduce;

public sealed class ReduceSumTests
{
    public sealed record Case(int[] Shape, int Axis, bool KeepDims, int Seed)
    {
        public override string ToString() => $"Case({Nd.Show(Shape)}, axis {Axis}, keep_dims {KeepDims}, seed {Seed})";
    }

    internal static Gen<Case> Cases =>
        from shape in Gen.Choose(1, 7).ArrayOf().Where(a => a.Length is >= 1 and <= 4)
        from axis in Gen.Choose(-shape.Length, shape.Length - 1)
        from keep in Gen.Elements(true, false)
        from seed in Gen.Choose(0, int.MaxValue - 1)
        select new Case(shape, axis, keep, seed);

    /// <summary>torch.sum(x, axis, keepdim): y[…] = Σ_i x[…, i, …].</summary>
    [Property(MaxTest = 60)]
    public Property MatchesNaiveDefinition() => Prop.ForAll(Cases.ToArbitrary(), c =>
    {
        var x = new Rng(c.Seed).Normal(c.Shape);
        int axis = c.Axis < 0 ? c.Axis + c.Shape.Length : c.Axis;
        var y = OneNode.Run(n => Nn.ReduceSum(n[0], axis: c.Axis, keepDims: c.KeepDims), x);
        var kept = (int[])c.Shape.Clone();
        kept[axis] = 1;
        var expected = Nd.Map(kept, i =>
        {
            var j = (int[])i.Clone();
            double s = 0;
            for (j[axis] = 0; j[axis] < c.Shape[axis]; j[axis]++) s += x.Data[Nd.Ravel(j, c.Shape)];
            return s;
        });
        Near.Tensor(y, c.KeepDims ? kept : [.. c.Shape.Where((_, i) => i != axis)], expected, 1e-6, c.ToString());
    });

    [Fact]
    public void RejectsAnAxisOutOfRange()
    {
        Assert.Contains("axis", BadType.Expect(new ReduceSum { Axis = 2 }, TensorType.F32(3, 4)));
        Assert.Contains("axis", BadType.Expect(new ReduceSum { Axis = 0 }, new TensorType(DType.F32, Shape.Scalar)));
    }
}
