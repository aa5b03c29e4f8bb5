using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using VoxTile.IR.Ops.Ttnn;
using VoxTile.IR.Tests.Support;
using Tt = VoxTile.IR.Ttnn;

namespace VoxTile.IR.Tests.Ops.Ttnn;

public sealed class TtnnEmbeddingTests
{
    /// <summary>Ids typecast to uint32 (as the lowering feeds them), then rows of the table: out[b, s, :] = weight[ids[b, s], :].</summary>
    [Property(MaxTest = 60)]
    public Property PicksTheRowsOfTheTable() => Prop.ForAll(
        (from b in Gen.Choose(1, 3) from s in Gen.Choose(1, 6) from v in Gen.Choose(1, 5) from d in Gen.Choose(1, 4) from seed in Gen.Choose(0, int.MaxValue - 1)
         select (b, s, v, d, seed)).ToArbitrary(), c =>
    {
        var (b, s, v, d, seed) = c;
        var rng = new Rng(seed);
        var ids = rng.Integers(0, v - 1, b, s);
        var table = rng.Normal(v, d);
        var y = TtnnCheck.Run(n => Tt.Embedding(Tt.Typecast(n[0], TtnnDataType.Uint32), n[1]), TtnnCheck.F32Types(ids, table), ids, table);
        var expected = Nd.Map([b, s, d], i => table[(int)ids[i[0], i[1]], i[2]]);
        Near.Exact(y, [b, s, d], expected);
    });

    [Fact]
    public void OutputHasTheTablesDtype() =>
        Assert.Equal(TtnnCheck.Of(DType.BF16, 2, 7, 16), new Embedding().InferType([TtnnCheck.Of(DType.U32, 2, 7), TtnnCheck.Of(DType.BF16, 100, 16)]).Type);

    [Fact]
    public void AnIdOutsideTheTableIsAnError()
    {
        var e = Assert.Throws<VoxTileException>(() => new Embedding().Evaluate([new Tensor([1, 2], [0, 3]), new Tensor([3, 1], [1, 2, 3])]));
        Assert.Contains("id 3", e.Message);
    }

    [Fact]
    public void RejectsBadOperands()
    {
        Assert.Contains("integer", BadType.Expect(new Embedding(), TtnnCheck.F32(2, 7), TtnnCheck.F32(10, 4)));
        Assert.Contains("[B, S]", BadType.Expect(new Embedding(), TtnnCheck.Of(DType.U32, 7), TtnnCheck.F32(10, 4)));
        Assert.Contains("table", BadType.Expect(new Embedding(), TtnnCheck.Of(DType.U32, 2, 7), TtnnCheck.F32(1, 10, 4)));
    }
}
