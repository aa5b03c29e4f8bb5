using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using VoxTile.IR.Ops.Movement;
using VoxTile.IR.Tests.Support;

namespace VoxTile.IR.Tests.Ops.Movement;

public sealed class FlipTests
{
    public sealed record Case(int[] Shape, int Axis, int Seed)
    {
        public override string ToString() => $"Case({Nd.Show(Shape)}, axis {Axis}, seed {Seed})";
    }

    internal static Gen<Case> Cases =>
        from shape in Gen.Choose(1, 6).ArrayOf().Where(a => a.Length is >= 1 and <= 4)
        from axis in Gen.Choose(-shape.Length, shape.Length - 1)
        from seed in Gen.Choose(0, int.MaxValue - 1)
        select new Case(shape, axis, seed);

    [Property(MaxTest = 60)]
    public Property MatchesNaiveDefinition() => Prop.ForAll(Cases.ToArbitrary(), c =>
    {
        var x = new Rng(c.Seed).Normal(c.Shape);
        int axis = c.Axis < 0 ? c.Axis + c.Shape.Length : c.Axis;
        var y = OneNode.Run(n => Nn.Flip(n[0], axis: c.Axis), x);
        Near.Exact(y, c.Shape, Nd.Map(c.Shape, i =>
        {
            var src = (int[])i.Clone();
            src[axis] = c.Shape[axis] - 1 - i[axis];
            return x.Data[Nd.Ravel(src, c.Shape)];
        }), c.ToString());
    });

    [Property(MaxTest = 40)]
    public Property FlipTwiceIsTheIdentity() => Prop.ForAll(Cases.ToArbitrary(), c =>
    {
        var x = new Rng(c.Seed).Normal(c.Shape);
        var y = OneNode.Run(n => Nn.Flip(Nn.Flip(n[0], axis: c.Axis), axis: c.Axis), x);
        Near.Exact(y, x, c.ToString());
    });

    [Fact]
    public void DefaultsToTheChannelAxis()
    {
        var y = OneNode.Run(n => Nn.Flip(n[0]), new Tensor([1, 3, 2], [1, 2, 3, 4, 5, 6]));
        Assert.Equal([5f, 6, 3, 4, 1, 2], y.Data);
    }

    [Fact]
    public void RejectsAnAxisOutOfRange()
    {
        Assert.Contains("axis", BadType.Expect(new Flip { Axis = 3 }, TensorType.F32(1, 2, 3)));
        Assert.Contains("axis", BadType.Expect(new Flip { Axis = -4 }, TensorType.F32(1, 2, 3)));
        Assert.Contains("axis", BadType.Expect(new Flip(), TensorType.F32(5)));
    }
}
