using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using VoxTile.IR.Ops.Movement;
using VoxTile.IR.Tests.Support;

namespace VoxTile.IR.Tests.Ops.Movement;

public sealed class ConcatTests
{
    public sealed record Case(int[] Shape, int Axis, int[] Sizes, int Seed)
    {
        public override string ToString() => $"Case({Nd.Show(Shape)}, axis {Axis}, sizes {Nd.Show(Sizes)}, seed {Seed})";
    }

    internal static Gen<Case> Cases =>
        from shape in Gen.Choose(1, 5).ArrayOf().Where(a => a.Length is >= 1 and <= 4)
        from axis in Gen.Choose(-shape.Length, shape.Length - 1)
        from count in Gen.Choose(1, 4)
        from sizes in Gen.Choose(0, 4).ArrayOf(count)
        from seed in Gen.Choose(0, int.MaxValue - 1)
        select new Case(shape, axis, sizes, seed);

    [Property(MaxTest = 80)]
    public Property MatchesNaiveDefinition() => Prop.ForAll(Cases.ToArbitrary(), c =>
    {
        var rng = new Rng(c.Seed);
        int axis = c.Axis < 0 ? c.Axis + c.Shape.Length : c.Axis;
        var parts = c.Sizes.Select(s => { var sh = (int[])c.Shape.Clone(); sh[axis] = s; return rng.Normal(sh); }).ToArray();
        var y = OneNode.Run(n => Nn.Concat(n, axis: c.Axis), parts);
        var shape = (int[])c.Shape.Clone();
        shape[axis] = c.Sizes.Sum();
        Near.Exact(y, shape, Nd.Map(shape, i =>
        {
            int at = i[axis], p = 0;
            while (at >= c.Sizes[p]) at -= c.Sizes[p++];
            var src = (int[])i.Clone();
            src[axis] = at;
            return parts[p].Data[Nd.Ravel(src, parts[p].Shape)];
        }), c.ToString());
    });

    [Fact]
    public void SymbolicAxisIsKeptOnlyWhenAlone()
    {
        var t = BadType.F32(1, 4, Dim.Sym("T"));
        Assert.Equal(new Shape([1, 8, Dim.Sym("T")]), BadType.NeverThrows(new Concat { Axis = 1 }, t, t).Type!.Shape);
        Assert.Equal(new Shape([1, 4, Dim.Unknown]), BadType.NeverThrows(new Concat { Axis = 2 }, t, t).Type!.Shape);
        Assert.Equal(t.Shape, BadType.NeverThrows(new Concat { Axis = -1 }, t).Type!.Shape);
    }

    /// <summary>Unknown dims pass inference; tensors that then differ off the axis fail at run time instead of being copied past each other.</summary>
    [Fact]
    public void RuntimeSizesOffTheAxisMustAgree()
    {
        var x = VoxTile.IR.Ops.Graph.Input.Create("x", BadType.F32(1, Dim.Unknown, 2));
        var y = VoxTile.IR.Ops.Graph.Input.Create("y", BadType.F32(1, Dim.Unknown, 2));
        var g = IR.Graph.Create("g", [x, y], [Nn.Concat([x, y], axis: 2)]);
        Assert.Equal([1, 3, 4], OneNode.Run(g, new Tensor([1, 3, 2]), new Tensor([1, 3, 2]))[0].Shape);
        var e = Assert.Throws<VoxTileException>(() => OneNode.Run(g, new Tensor([1, 3, 2]), new Tensor([1, 2, 2])));
        Assert.Contains("differ off the axis", e.Message);
    }

    [Fact]
    public void RejectsBadOperands()
    {
        Assert.Contains("axis", BadType.Expect(new Concat { Axis = 3 }, TensorType.F32(1, 2, 3), TensorType.F32(1, 2, 3)));
        Assert.Contains("rank", BadType.Expect(new Concat { Axis = 0 }, TensorType.F32(1, 2, 3), TensorType.F32(1, 2)));
        Assert.Contains("off the axis", BadType.Expect(new Concat { Axis = 1 }, TensorType.F32(1, 2, 3), TensorType.F32(1, 2, 4)));
        Assert.Contains("dtype", BadType.Expect(new Concat { Axis = 1 }, TensorType.F32(1, 2, 3), new TensorType(DType.BF16, new Shape(1, 2, 3))));
    }
}
