using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using VoxTile.IR.Ops.Ttnn;
using VoxTile.IR.Tests.Support;
using Tt = VoxTile.IR.Ttnn;

namespace VoxTile.IR.Tests.Ops.Ttnn;

/// <summary>ttnn.pad, concat, slice, reshape, permute and transpose against nn's data-movement ops.</summary>
public sealed class TtnnMovementTests
{
    public sealed record Case(int[] Shape, int[][] Pads, int[] Perm, int[] Start, int[] End, int[] Step, int Seed)
    {
        public override string ToString() =>
            $"Case({TtnnCheck.Show(Shape)}, pads [{string.Join(",", Pads.Select(TtnnCheck.Show))}], perm {TtnnCheck.Show(Perm)}, " +
            $"slice {TtnnCheck.Show(Start)}:{TtnnCheck.Show(End)}:{TtnnCheck.Show(Step)}, seed {Seed})";
    }

    internal static Gen<Case> Cases =>
        from shape in TtnnCheck.Shape(0, 4, 4)
        from pads in (from b in Gen.Choose(0, 2) from a in Gen.Choose(0, 2) select new[] { b, a }).ArrayOf(shape.Length)
        from keys in Gen.Choose(0, 1000).ArrayOf(shape.Length)
        from starts in Gen.Choose(0, 1000).ArrayOf(shape.Length)
        from ends in Gen.Choose(0, 1000).ArrayOf(shape.Length)
        from steps in Gen.Choose(1, 3).ArrayOf(shape.Length)
        from seed in Gen.Choose(0, int.MaxValue - 1)
        let start = shape.Select((d, i) => starts[i] % (d + 1)).ToArray()
        let end = shape.Select((d, i) => start[i] + ends[i] % (d - start[i] + 1)).ToArray()
        select new Case(shape, pads, [.. Enumerable.Range(0, shape.Length).OrderBy(i => keys[i]).ThenBy(i => i)], start, end, steps, seed);

    /// <summary>Pads every dim with a constant: the input lands at the offsets "before"; on the last dim alone it is nn.pad.</summary>
    [Property(MaxTest = 100)]
    public Property PadMatchesTheDefinitionAndNnPad() => Prop.ForAll(Cases.ToArbitrary(), c =>
    {
        var x = new Rng(c.Seed).Normal(c.Shape);
        var y = TtnnCheck.Run(n => Tt.Pad(n[0], c.Pads, -7.5f), TtnnCheck.F32Types(x), x);
        var shape = c.Shape.Select((d, i) => d + c.Pads[i][0] + c.Pads[i][1]).ToArray();
        var expected = Nd.Map(shape, idx =>
        {
            var src = idx.Select((v, i) => v - c.Pads[i][0]).ToArray();
            return src.Select((v, i) => v >= 0 && v < c.Shape[i]).All(b => b) ? x[src] : -7.5;
        });
        Near.Exact(y, shape, expected, c.ToString());
        if (c.Shape.Length == 0) return;
        int[][] lastOnly = [.. c.Pads.Select((p, i) => i == c.Shape.Length - 1 ? p : new[] { 0, 0 })];
        var got = TtnnCheck.Run(n => Tt.Pad(n[0], lastOnly, 2f), TtnnCheck.F32Types(x), x);
        Near.Exact(got, TtnnCheck.Run(n => Nn.Pad(n[0], left: c.Pads[^1][0], right: c.Pads[^1][1], value: 2f), TtnnCheck.F32Types(x), x), c.ToString());
    });

    [Property(MaxTest = 100)]
    public Property PermuteAndTransposeEqualNnTranspose() => Prop.ForAll(Cases.ToArbitrary(), c =>
    {
        var x = new Rng(c.Seed).Normal(c.Shape);
        var types = TtnnCheck.F32Types(x);
        var negative = c.Perm.Select((p, i) => i % 2 == 0 ? p - c.Shape.Length : p).ToArray();
        Near.Exact(TtnnCheck.Run(n => Tt.Permute(n[0], negative), types, x), TtnnCheck.Run(n => Nn.Transpose(n[0], c.Perm), types, x), c.ToString());
        if (c.Shape.Length == 0) return;
        int d1 = c.Perm[0], d2 = c.Perm[^1];
        var swap = Enumerable.Range(0, c.Shape.Length).ToArray();
        (swap[d1], swap[d2]) = (swap[d2], swap[d1]);
        Near.Exact(TtnnCheck.Run(n => Tt.Transpose(n[0], d1, d2 - c.Shape.Length), types, x), TtnnCheck.Run(n => Nn.Transpose(n[0], swap), types, x), c.ToString());
    });

    /// <summary>ttnn.slice over every dim is a chain of nn.slice, one per dim.</summary>
    [Property(MaxTest = 100)]
    public Property SliceEqualsChainedNnSlices() => Prop.ForAll(Cases.ToArbitrary(), c =>
    {
        var x = new Rng(c.Seed).Normal(c.Shape);
        var types = TtnnCheck.F32Types(x);
        var got = TtnnCheck.Run(n => Slice.Create(n[0], c.Start, c.End, c.Step), types, x);
        var want = TtnnCheck.Run(n =>
        {
            var y = n[0];
            for (int i = 0; i < c.Shape.Length; i++) y = Nn.Slice(y, i, c.Start[i], end: c.End[i], step: c.Step[i]);
            return y;
        }, types, x);
        Near.Exact(got, want, c.ToString());
    });

    /// <summary>Concat along any dim (negative too) equals nn.concat; reshape (with a −1) equals nn.reshape.</summary>
    [Property(MaxTest = 100)]
    public Property ConcatAndReshapeEqualNn() => Prop.ForAll(Cases.ToArbitrary(), Gen.Choose(1, 3).ToArbitrary(), (c, parts) =>
    {
        if (c.Shape.Length == 0) return;
        var rng = new Rng(c.Seed);
        int axis = c.Perm[0];
        var xs = Enumerable.Range(0, parts).Select(i => rng.Normal([.. c.Shape.Select((d, k) => k == axis ? d + i : d)])).ToArray();
        var types = TtnnCheck.F32Types(xs);
        Near.Exact(TtnnCheck.Run(n => Tt.Concat(n, axis - c.Shape.Length), types, xs), TtnnCheck.Run(n => Nn.Concat(n, axis), types, xs), c.ToString());
        int[] target = [.. c.Shape.Reverse()];
        target[0] = -1;
        Near.Exact(TtnnCheck.Run(n => Tt.Reshape(n[0], target), [types[0]], xs[0]), TtnnCheck.Run(n => Nn.Reshape(n[0], target), [types[0]], xs[0]), c.ToString());
    });

    [Fact]
    public void RejectsBadOperands()
    {
        var x = TtnnCheck.F32(2, 3, 4);
        Assert.Contains("pair", BadType.Expect(new Pad { Padding = [[0, 0], [1, 1]], Value = 0 }, x));
        Assert.Contains("pair", BadType.Expect(new Pad { Padding = [[0, 0], [1], [0, 0]], Value = 0 }, x));
        Assert.Contains("pair", BadType.Expect(new Pad { Padding = [[0, 0], [0, -1], [0, 0]], Value = 0 }, x));
        Assert.Contains("lower 3", BadType.Expect(new Pad { Padding = [[1, 0], [0, 0], [0, 0], [0, 0], [0, 0]], Value = 0 }, TtnnCheck.F32(1, 2, 3, 4, 5)));
        Assert.Contains("one entry per dim", BadType.Expect(new Slice { SliceStart = [0, 0], SliceEnd = [2, 3], SliceStep = [1, 1] }, x));
        Assert.Contains("past the size", BadType.Expect(new Slice { SliceStart = [0, 0, 0], SliceEnd = [2, 3, 5], SliceStep = [1, 1, 1] }, x));
        Assert.Contains("start ≤ end", BadType.Expect(new Slice { SliceStart = [0, 2, 0], SliceEnd = [2, 1, 4], SliceStep = [1, 1, 1] }, x));
        Assert.Contains("step", BadType.Expect(new Slice { SliceStart = [0, 0, 0], SliceEnd = [2, 3, 4], SliceStep = [1, 0, 1] }, x));
        Assert.Contains("not fixed", BadType.Expect(new Slice { SliceStart = [0, 0, 0], SliceEnd = [2, 3, 4], SliceStep = [1, 1, 1] }, BadType.F32(2, 3, Dim.Sym("T"))));
        Assert.Contains("permutation", BadType.Expect(new Permute { Dims = [0, 0, 1] }, x));
        Assert.Contains("out of range", BadType.Expect(new VoxTile.IR.Ops.Ttnn.Transpose { Dim1 = 0, Dim2 = 3 }, x));
        Assert.Contains("reshape", BadType.Expect(new Reshape { Shape = [5, -1] }, x));
        BadType.Expect(new Concat { Dim = 3 }, x, x);
        BadType.Expect(new Concat { Dim = 0 }, x, TtnnCheck.F32(2, 3, 5));
    }

    [Fact]
    public void SymbolicDimsPassThroughTheOpsThatKeepThem()
    {
        var t = new TensorType(DType.BF16, new Shape([1, 4, Dim.Sym("T")]));
        Assert.Equal(new Shape([1, Dim.Sym("T"), 4]), new Permute { Dims = [0, 2, 1] }.InferType([t]).Type!.Shape);
        Assert.Equal(new Shape([1, 6, Dim.Sym("T")]), new Pad { Padding = [[0, 0], [1, 1], [0, 0]], Value = 0 }.InferType([t]).Type!.Shape);
        Assert.Equal(new Shape([4, Dim.Sym("T")]), new Reshape { Shape = [4, -1] }.InferType([t]).Type!.Shape);
    }

    [Fact]
    public void FrontPaddingAsksForRowMajor()
    {
        Assert.Equal(LayoutRequirement.RowMajor, new Pad { Padding = [[0, 0], [1, 0]], Value = 0 }.OperandRequirements[0].Layout);
        Assert.Equal(LayoutRequirement.Any, new Pad { Padding = [[0, 0], [0, 31]], Value = 0 }.OperandRequirements[0].Layout);
    }
}
