using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using VoxTile.IR.Ops.Reduce;
using VoxTile.IR.Tests.Support;

namespace VoxTile.IR.Tests.Ops.Reduce;

public sealed class SoftmaxTests
{
    public sealed record Case(int[] Shape, int Axis, double Scale, int Seed)
    {
        public override string ToString() => $"Case({Nd.Show(Shape)}, axis {Axis}, scale {Scale}, seed {Seed})";
    }

    internal static Gen<Case> Cases =>
        from shape in Gen.Choose(1, 7).ArrayOf().Where(a => a.Length is >= 1 and <= 4)
        from axis in Gen.Choose(-shape.Length, shape.Length - 1)
        from scale in Gen.Elements(1.0, 10.0, 100.0)
        from seed in Gen.Choose(0, int.MaxValue - 1)
        select new Case(shape, axis, scale, seed);

    /// <summary>softmax(x)_i = e^(x_i) / Σ_k e^(x_k) along the axis (large logits included: 100·N(0,1)).</summary>
    [Property(MaxTest = 60)]
    public Property MatchesNaiveDefinition() => Prop.ForAll(Cases.ToArbitrary(), c =>
    {
        var x = new Rng(c.Seed).Normal(c.Shape);
        for (int i = 0; i < x.Data.Length; i++) x.Data[i] *= (float)c.Scale;
        int axis = c.Axis < 0 ? c.Axis + c.Shape.Length : c.Axis;
        var y = OneNode.Run(n => Nn.Softmax(n[0], axis: c.Axis), x);
        var expected = Nd.Map(c.Shape, i =>
        {
            var j = (int[])i.Clone();
            double max = double.NegativeInfinity, sum = 0;
            for (j[axis] = 0; j[axis] < c.Shape[axis]; j[axis]++) max = Math.Max(max, x.Data[Nd.Ravel(j, c.Shape)]);
            for (j[axis] = 0; j[axis] < c.Shape[axis]; j[axis]++) sum += Math.Exp(x.Data[Nd.Ravel(j, c.Shape)] - max);
            return Math.Exp(x.Data[Nd.Ravel(i, c.Shape)] - max) / sum;
        });
        Near.Elementwise(y, expected, 1e-5, 1e-12, c.ToString());
    });

    [Fact]
    public void RejectsAnAxisOutOfRange()
    {
        Assert.Contains("axis", BadType.Expect(new Softmax { Axis = 2 }, TensorType.F32(3, 4)));
        Assert.Contains("axis", BadType.Expect(new Softmax(), new TensorType(DType.F32, Shape.Scalar)));
    }
}
