using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using VoxTile.IR.Ops.Movement;
using VoxTile.IR.Tests.Support;

namespace VoxTile.IR.Tests.Ops.Movement;

public sealed class PadTests
{
    public sealed record Case(int[] Shape, int Left, int Right, PadMode Mode, float Value, int Seed)
    {
        public override string ToString() => $"Case({Nd.Show(Shape)}, left {Left}, right {Right}, {Mode}, value {Value}, seed {Seed})";
    }

    internal static Gen<Case> Cases =>
        from lead in Gen.Choose(1, 4).ArrayOf().Where(a => a.Length <= 3)
        from len in Gen.Choose(1, 12)
        from mode in Gen.Elements(PadMode.Constant, PadMode.Reflect)
        from left in Gen.Choose(0, mode == PadMode.Reflect ? len - 1 : 6)
        from right in Gen.Choose(0, mode == PadMode.Reflect ? len - 1 : 6)
        from value in Gen.Elements(0f, 1f, -1e4f, 0.1f, float.NegativeInfinity)
        from seed in Gen.Choose(0, int.MaxValue - 1)
        select new Case([.. lead, len], left, right, mode, value, seed);

    /// <summary>F.pad on the last axis: constant fills; reflect mirrors about the edge sample without repeating it.</summary>
    [Property(MaxTest = 80)]
    public Property MatchesNaiveDefinition() => Prop.ForAll(Cases.ToArbitrary(), c =>
    {
        var x = new Rng(c.Seed).Normal(c.Shape);
        int len = c.Shape[^1];
        var y = OneNode.Run(n => Nn.Pad(n[0], left: c.Left, right: c.Right, mode: c.Mode, value: c.Value), x);
        var shape = (int[])c.Shape.Clone();
        shape[^1] = len + c.Left + c.Right;
        Near.Exact(y, shape, Nd.Map(shape, i =>
        {
            int at = i[^1] - c.Left;
            if (at < 0 || at >= len)
            {
                if (c.Mode == PadMode.Constant) return c.Value;
                at = at < 0 ? -at : 2 * (len - 1) - at;
            }
            var src = (int[])i.Clone();
            src[^1] = at;
            return x.Data[Nd.Ravel(src, c.Shape)];
        }), c.ToString());
    });

    [Fact]
    public void ConstantPaddingOfAnEmptyAxisIsAllValue()
    {
        var y = OneNode.Run(n => Nn.Pad(n[0], left: 1, right: 2, value: 7f), new Tensor([2, 0]));
        Assert.Equal([2, 3], y.Shape);
        Assert.All(y.Data, v => Assert.Equal(7f, v));
    }

    [Fact]
    public void KeepsOrDropsTheSymbol()
    {
        var t = BadType.F32(1, 4, Dim.Sym("T"));
        Assert.Equal(Dim.Sym("T"), BadType.NeverThrows(new Pad(), t).Type!.Shape[2]);
        Assert.True(BadType.NeverThrows(new Pad { Left = 384, Right = 384, Mode = PadMode.Reflect }, t).Type!.Shape[2].IsUnknown);
    }

    [Fact]
    public void RejectsBadPads()
    {
        Assert.Contains("reflect", BadType.Expect(new Pad { Left = 3, Mode = PadMode.Reflect }, TensorType.F32(2, 3)));
        Assert.Contains("reflect", BadType.Expect(new Pad { Right = 3, Mode = PadMode.Reflect }, TensorType.F32(2, 3)));
        BadType.Expect(new Pad { Left = -1 }, TensorType.F32(2, 3));
        BadType.Expect(new Pad { Left = 1 }, new TensorType(DType.F32, Shape.Scalar));
    }
}
