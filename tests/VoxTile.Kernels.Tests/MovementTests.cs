using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using VoxTile.Kernels.Tests.Support;
using VoxTile.Runtime.Native;

namespace VoxTile.Kernels.Tests;

/// <summary>pad, concat, slice (incl. flip), permute/transpose, embedding and typecast, also from tiled inputs.</summary>
public sealed unsafe class MovementTests
{
    public MovementTests() => KernelSetup.Ensure();

    private static float[] Iota(int n) => [.. Enumerable.Range(0, n).Select(i => (float)i)];

    public sealed record PermuteCase(int[] Shape, int[] Perm, VtDtype In, VtDtype Out, bool Tiled);

    private static readonly Gen<PermuteCase> PermuteCases =
        from rank in Gen.Choose(1, 4)
        from shape in Gen.Choose(1, 7).ArrayOf(rank)
        from keys in Gen.Choose(0, 1000).ArrayOf(rank)
        from din in Gen.Elements(VtDtype.F32, VtDtype.Bf16)
        from dout in Gen.Elements(VtDtype.F32, VtDtype.Bf16)
        from tiled in Gen.Elements(false, true)
        select new PermuteCase(shape, [.. Enumerable.Range(0, rank).OrderBy(i => keys[i]).ThenBy(i => i)], din, dout, tiled);

    [Property(MaxTest = 60)]
    public Property PermuteMovesEveryElement() => Prop.ForAll(PermuteCases.ToArbitrary(), c =>
    {
        var n = c.Shape.Aggregate(1, (a, b) => a * b);
        var x = Iota(n);
        using var xt = NTensor.Of(x, [.. c.Shape.Select(d => (long)d)], c.In, c.Tiled ? VtLayout.Tile : VtLayout.RowMajor);
        var yshape = c.Perm.Select(p => (long)c.Shape[p]).ToArray();
        using var yt = NTensor.Empty(yshape, c.Out);
        fixed (int* perm = c.Perm) VtNative.Permute(xt.Ptr, perm, yt.Ptr).ThrowIfFailed();
        var y = yt.Read();
        var xs = new int[c.Shape.Length];
        for (var i = 0; i < c.Shape.Length; i++) xs[i] = c.Shape.Skip(i + 1).Aggregate(1, (a, b) => a * b);
        var idx = new int[c.Shape.Length];
        for (var o = 0; o < n; o++)
        {
            var rem = o;
            var src = 0;
            for (var d = c.Shape.Length - 1; d >= 0; d--)
            {
                var v = rem % (int)yshape[d];
                rem /= (int)yshape[d];
                src += v * xs[c.Perm[d]];
            }
            Assert.Equal(Formats.Stored(Formats.Stored(x[src], c.In), c.Out), y[o]);
        }
    });

    [Fact]
    public void SliceFlipsWithANegativeStep()
    {
        using var xt = NTensor.Of(Iota(24), 2, 3, 4);
        using var yt = NTensor.Empty([2, 2, 4], VtDtype.F32);
        long* begins = stackalloc long[] { 0, 2, 0 }, steps = stackalloc long[] { 1, -1, 1 }, outside = stackalloc long[] { 0, 3, 0 };
        VtNative.Slice(xt.Ptr, begins, steps, yt.Ptr).ThrowIfFailed();
        var y = yt.Read();
        for (var a = 0; a < 2; a++)
            for (var b = 0; b < 2; b++)
                for (var c = 0; c < 4; c++)
                    Assert.Equal((a * 3 + 2 - b) * 4 + c, y[(a * 2 + b) * 4 + c]);
        var status = VtNative.Slice(xt.Ptr, outside, steps, yt.Ptr);
        var e = Assert.Throws<KernelException>(() => status.ThrowIfFailed());
        Assert.Equal(VtStatus.InvalidArgument, e.Status);
        Assert.Contains("slice: dim 1", e.Message);
    }

    [Fact]
    public void PadFillsAroundTheInput()
    {
        using var xt = NTensor.Of(Iota(24), 2, 3, 4);
        using var yt = NTensor.Empty([3, 4, 6], VtDtype.Bf16);
        long* before = stackalloc long[] { 0, 1, 2 }, after = stackalloc long[] { 1, 0, 0 };
        VtNative.Pad(xt.Ptr, before, after, -7f, yt.Ptr).ThrowIfFailed();
        var y = yt.Read();
        for (var a = 0; a < 3; a++)
            for (var b = 0; b < 4; b++)
                for (var c = 0; c < 6; c++)
                    Assert.Equal(a < 2 && b >= 1 && c >= 2 ? (a * 3 + b - 1) * 4 + c - 2 : -7f, y[(a * 4 + b) * 6 + c]);
    }

    [Fact]
    public void ConcatJoinsAlongADim()
    {
        using var a = NTensor.Of(Iota(24), 2, 3, 4);
        using var b = NTensor.Of([.. Iota(16).Select(v => v + 100)], [2, 2, 4], VtDtype.Bf16, VtLayout.Tile);
        using var yt = NTensor.Empty([2, 5, 4], VtDtype.F32);
        var parts = stackalloc VtTensor*[2] { a.Ptr, b.Ptr };
        VtNative.Concat(parts, 2, 1, yt.Ptr).ThrowIfFailed();
        var y = yt.Read();
        for (var i = 0; i < 2; i++)
            for (var j = 0; j < 5; j++)
                for (var k = 0; k < 4; k++)
                    Assert.Equal(j < 3 ? (i * 3 + j) * 4 + k : 100 + (i * 2 + j - 3) * 4 + k, y[(i * 5 + j) * 4 + k]);
    }

    [Fact]
    public void EmbeddingGathersRowsAndRefusesBadIds()
    {
        using var ids = NTensor.Of([2, 0, 5, 5, 1], [5], VtDtype.U32);
        using var table = NTensor.Of([.. Iota(18).Select(v => v * 0.5f)], [6, 3], VtDtype.Bf16);
        using var yt = NTensor.Empty([5, 3], VtDtype.F32);
        VtNative.Embedding(ids.Ptr, table.Ptr, yt.Ptr).ThrowIfFailed();
        int[] want = [2, 0, 5, 5, 1];
        var y = yt.Read();
        for (var i = 0; i < 5; i++)
            for (var d = 0; d < 3; d++)
                Assert.Equal((want[i] * 3 + d) * 0.5f, y[i * 3 + d]);
        using var bad = NTensor.Of([6], [1], VtDtype.U32);
        using var one = NTensor.Empty([1, 3], VtDtype.F32);
        var e = Assert.Throws<KernelException>(() => VtNative.Embedding(bad.Ptr, table.Ptr, one.Ptr).ThrowIfFailed());
        Assert.Contains("id 6 outside the table of 6 rows", e.Message);
    }

    [Fact]
    public void TransposeSwapsTwoDims()
    {
        using var xt = NTensor.Of(Iota(24), 2, 3, 4);
        using var yt = NTensor.Empty([4, 3, 2], VtDtype.U32);
        VtNative.Transpose(xt.Ptr, 0, -1, yt.Ptr).ThrowIfFailed();
        var y = yt.Read();
        for (var a = 0; a < 4; a++)
            for (var b = 0; b < 3; b++)
                for (var c = 0; c < 2; c++)
                    Assert.Equal((c * 3 + b) * 4 + a, y[(a * 3 + b) * 2 + c]);
    }

    [Fact]
    public void ReshapeKeepsRowMajorOrderAcrossLayouts()
    {
        var x = Iota(6 * 40);
        using var xt = NTensor.Of(x, [6, 40], VtDtype.Bf16, VtLayout.Tile);
        using var yt = NTensor.Empty([2, 3, 5, 8], VtDtype.F32);
        VtNative.Reshape(xt.Ptr, yt.Ptr).ThrowIfFailed();
        Assert.Equal(x.Select(v => Formats.Bf16(v)), yt.Read());
        using var bad = NTensor.Empty([7, 40], VtDtype.F32);
        var status = VtNative.Reshape(xt.Ptr, bad.Ptr);
        Assert.Contains("240 elements into 280", Assert.Throws<KernelException>(() => status.ThrowIfFailed()).Message);
    }
}
