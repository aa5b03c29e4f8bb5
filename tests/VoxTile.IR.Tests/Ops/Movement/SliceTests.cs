using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using VoxTile.IR.Ops.Movement;
using VoxTile.IR.Tests.Support;

namespace VoxTile.IR.Tests.Ops.Movement;

public sealed class SliceTests
{
    public sealed record Case(int[] Shape, int Axis, int Start, int End, int Step, int Seed)
    {
        public override string ToString() => $"Case({Nd.Show(Shape)}, axis {Axis}, {Start}:{(End == int.MaxValue ? "" : End)}:{Step}, seed {Seed})";
    }

    internal static Gen<Case> Cases =>
        from shape in Gen.Choose(1, 7).ArrayOf().Where(a => a.Length is >= 1 and <= 4)
        from axis in Gen.Choose(-shape.Length, shape.Length - 1)
        let n = shape[axis < 0 ? axis + shape.Length : axis]
        from start in Gen.Choose(-n - 2, n + 2)
        from end in Gen.Frequency((4, Gen.Choose(-n - 2, n + 2)), (1, Gen.Constant(int.MaxValue)))
        from step in Gen.Frequency((3, Gen.Constant(1)), (2, Gen.Choose(2, 4)))
        from seed in Gen.Choose(0, int.MaxValue - 1)
        select new Case(shape, axis, start, end, step, seed);

    /// <summary>Python's slice(start, end, step).indices(n) for step &gt; 0.</summary>
    internal static int[] PythonIndices(int n, int start, int end, int step)
    {
        static int Clamp(int i, int n) => i < 0 ? Math.Max(0, i + n) : Math.Min(i, n);
        var list = new List<int>();
        for (int i = Clamp(start, n); i < Clamp(end, n); i += step) list.Add(i);
        return [.. list];
    }

    [Property(MaxTest = 100)]
    public Property MatchesPythonSlicing() => Prop.ForAll(Cases.ToArbitrary(), c =>
    {
        var x = new Rng(c.Seed).Normal(c.Shape);
        int axis = c.Axis < 0 ? c.Axis + c.Shape.Length : c.Axis;
        var picked = PythonIndices(c.Shape[axis], c.Start, c.End, c.Step);
        var y = OneNode.Run(n => Nn.Slice(n[0], axis: c.Axis, start: c.Start, end: c.End, step: c.Step), x);
        var shape = (int[])c.Shape.Clone();
        shape[axis] = picked.Length;
        Near.Exact(y, shape, Nd.Map(shape, i =>
        {
            var src = (int[])i.Clone();
            src[axis] = picked[i[axis]];
            return x.Data[Nd.Ravel(src, c.Shape)];
        }), c.ToString());
    });

    /// <summary>On a symbolic axis inference never throws; a size it states is the size for any length that reaches End.</summary>
    [Property(MaxTest = 100)]
    public Property SymbolicAxisAgreesWithFixed() => Prop.ForAll(Cases.ToArbitrary(), c =>
    {
        int axis = c.Axis < 0 ? c.Axis + c.Shape.Length : c.Axis;
        var op = new Slice { Axis = c.Axis, Start = c.Start, End = c.End, Step = c.Step };
        var dims = c.Shape.Select(Dim.Of).ToArray();
        dims[axis] = Dim.Sym("T");
        var r = BadType.NeverThrows(op, new TensorType(DType.F32, new Shape(dims)));
        Assert.True(r.Ok, r.Error);
        var d = r.Type!.Shape[axis];
        if (d.IsUnknown) return;
        int n = c.End is >= 0 and < int.MaxValue ? Math.Max(c.End, c.Shape[axis]) : c.Shape[axis];
        int expected = d == Dim.Sym("T") ? n : PythonIndices(n, c.Start, c.End, c.Step).Length;
        Assert.True(d.IsSymbolic ? d == Dim.Sym("T") : d.Value == expected, $"{c}: symbolic axis gives {d}, a length of {n} gives {expected}");
    });

    [Fact]
    public void RejectsBadAttributes()
    {
        Assert.Contains("axis", BadType.Expect(new Slice { Axis = 2, Start = 0 }, TensorType.F32(3, 4)));
        Assert.Contains("axis", BadType.Expect(new Slice { Axis = -3, Start = 0 }, TensorType.F32(3, 4)));
        Assert.Contains("step", BadType.Expect(new Slice { Axis = 0, Start = 0, Step = 0 }, TensorType.F32(3, 4)));
        Assert.Contains("step", BadType.Expect(new Slice { Axis = 0, Start = 3, End = 0, Step = -1 }, TensorType.F32(3, 4)));
    }
}
