using System.Buffers.Binary;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using VoxTile.IR;
using VoxTile.Models.Checkpoints;
using VoxTile.Testing.Checkpoints;

namespace VoxTile.Models.Tests.Checkpoints;

public sealed class TorchCheckpointTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private static float[] Seq(int n, float scale = 0.25f) => Enumerable.Range(0, n).Select(i => (i - n / 2) * scale).ToArray();

    [Fact]
    public void Fp32TensorsRoundTripInOrder()
    {
        var a = new Tensor([2, 3], Seq(6));
        var b = new Tensor([4], [1.5f, -0f, float.MaxValue, float.Epsilon]);
        var c = Tensor.Scalar(7f);
        var path = _dir.File("fp32.pth");
        new TorchSaveWriter().Add("enc.b", b).Add("dec.a", a).Add("c", c).Save(path);

        var sd = TorchCheckpoint.Load(path);

        Assert.Equal(["enc.b", "dec.a", "c"], sd.Keys);
        Assert.Equal(3, sd.Count);
        Assert.Equal(a.Data, sd.Get("dec.a", 2, 3).Data);
        Assert.Equal(b.Data, sd.Get("enc.b", 4).Data);
        var scalar = sd.Get("c");
        Assert.Empty(scalar.Shape);
        Assert.Equal(7f, scalar.Data[0]);
    }

    [Theory]
    [InlineData("VitsModel")]
    [InlineData("OrderedDict")]
    [InlineData("PlainDict")]
    public void AcceptsModelEntryOrABareStateDict(string layoutName)
    {
        var layout = Enum.Parse<TorchSaveWriter.Layout>(layoutName);
        var path = _dir.File($"layout-{layout}.pth");
        var w = new TorchSaveWriter();
        for (int i = 0; i < 12; i++) w.Add($"layer.{i}.bias", new Tensor([2], [i, -i]));
        w.Save(path, layout);

        var sd = TorchCheckpoint.Load(path);

        Assert.Equal(Enumerable.Range(0, 12).Select(i => $"layer.{i}.bias"), sd.Keys);
        Assert.Equal([5f, -5f], sd.Get("layer.5.bias", 2).Data);
    }

    [Fact]
    public void KeepsFileOrderAcrossSetItemsBatches()
    {
        // CPython writes SETITEMS in batches of 1000 and Razorvine applies each batch back to front; 2001 keys give two
        // full batches and a lone SETITEM. Names are chosen so that neither sorted nor hash order is the file order.
        var names = Enumerable.Range(0, 2001).Select(i => $"k{(i * 7919) % 2001}.w").ToList();
        var w = new TorchSaveWriter();
        for (int i = 0; i < names.Count; i++) w.Add(names[i], new Tensor([1], [i]));
        var path = _dir.File("many.pth");
        w.Save(path);

        var sd = TorchCheckpoint.Load(path);

        Assert.Equal(names, sd.Keys);
        Assert.Equal(1234f, sd.Get(names[1234]).Data[0]);
    }

    [Fact]
    public void Fp16AndBf16StoragesBecomeFp32()
    {
        float[] values = [0f, 1f, -2.5f, 0.333251953125f, 65504f, -0.0009765625f];
        var half = new byte[values.Length * 2];
        var bf16 = new byte[values.Length * 2];
        for (int i = 0; i < values.Length; i++)
        {
            BinaryPrimitives.WriteHalfLittleEndian(half.AsSpan(2 * i), (Half)values[i]);
            BinaryPrimitives.WriteUInt16LittleEndian(bf16.AsSpan(2 * i), (ushort)(BitConverter.SingleToUInt32Bits(values[i]) >> 16));
        }
        var path = _dir.File("half.pth");
        new TorchSaveWriter()
            .AddStorage("0", "HalfStorage", half, values.Length).AddView("h", "0", 0, [2, 3], [3, 1])
            .AddStorage("1", "BFloat16Storage", bf16, values.Length).AddView("b", "1", 0, [6], [1])
            .Save(path);

        var sd = TorchCheckpoint.Load(path);

        Assert.Equal(values.Select(v => (float)(Half)v), sd.Get("h", 2, 3).Data);
        Assert.Equal(values.Select(v => BitConverter.UInt32BitsToSingle(BitConverter.SingleToUInt32Bits(v) & 0xFFFF0000u)), sd.Get("b", 6).Data);
    }

    [Fact]
    public void OtherStorageDtypesAreConverted()
    {
        var longs = new byte[24];
        for (int i = 0; i < 3; i++) BinaryPrimitives.WriteInt64LittleEndian(longs.AsSpan(8 * i), (i - 1) * 1000L);
        var doubles = new byte[16];
        BinaryPrimitives.WriteDoubleLittleEndian(doubles, 0.1);
        BinaryPrimitives.WriteDoubleLittleEndian(doubles.AsSpan(8), -3);
        var path = _dir.File("dtypes.pth");
        new TorchSaveWriter()
            .AddStorage("0", "LongStorage", longs, 3).AddView("bn.num_batches_tracked", "0", 2, [], [])
            .AddStorage("1", "DoubleStorage", doubles, 2).AddView("d", "1", 0, [2], [1])
            .Save(path);

        var sd = TorchCheckpoint.Load(path);

        Assert.Equal(1000f, sd.Get("bn.num_batches_tracked").Data[0]);
        Assert.Equal([0.1f, -3f], sd.Get("d", 2).Data);
    }

    [Fact]
    public void HonoursStorageOffset()
    {
        var storage = Seq(20);
        var path = _dir.File("offset.pth");
        new TorchSaveWriter().AddFloatStorage("0", storage).AddView("x", "0", 5, [2, 3], [3, 1]).Save(path);

        var x = TorchCheckpoint.Load(path).Get("x", 2, 3);

        Assert.Equal(storage.Skip(5).Take(6), x.Data);
    }

    [Fact]
    public void MaterialisesNonContiguousViews()
    {
        // Storage holds a [3, 4] matrix row-major; the checkpoint tensor is its transpose (a view with strides [1, 4]),
        // and a second one takes every other column starting at column 1 (stride 2, offset 1).
        var m = Seq(12);
        var path = _dir.File("strided.pth");
        new TorchSaveWriter().AddFloatStorage("0", m)
            .AddView("t", "0", 0, [4, 3], [1, 4])
            .AddView("cols", "0", 1, [3, 2], [4, 2])
            .Save(path);

        var sd = TorchCheckpoint.Load(path);

        var t = sd.Get("t", 4, 3);
        for (int i = 0; i < 4; i++)
            for (int j = 0; j < 3; j++)
                Assert.Equal(m[j * 4 + i], t[i, j]);
        var cols = sd.Get("cols", 3, 2);
        for (int r = 0; r < 3; r++)
            for (int c = 0; c < 2; c++)
                Assert.Equal(m[r * 4 + 1 + 2 * c], cols[r, c]);
    }

    [Fact]
    public void TensorsMaySharesAStorageOrBeTheSameObject()
    {
        var storage = Seq(10);
        var path = _dir.File("shared.pth");
        new TorchSaveWriter().AddFloatStorage("0", storage)
            .AddView("first", "0", 0, [4], [1])
            .AddView("second", "0", 4, [2, 3], [3, 1])
            .AddAlias("tied", "first")
            .Save(path);

        var sd = TorchCheckpoint.Load(path);

        Assert.Equal(["first", "second", "tied"], sd.Keys);
        Assert.Equal(storage.Take(4), sd.Get("first", 4).Data);
        Assert.Equal(storage.Skip(4).Take(6), sd.Get("second", 2, 3).Data);
        Assert.Equal(storage.Take(4), sd.Get("tied", 4).Data);
    }

    [Fact]
    public void ReadsProtocol4WithStackGlobal()
    {
        var path = _dir.File("p4.pth");
        new TorchSaveWriter { Protocol = 4, Root = "my_model", ByteOrder = null }
            .Add("w", new Tensor([2, 2], [1, 2, 3, 4])).Save(path);

        Assert.Equal([1f, 2f, 3f, 4f], TorchCheckpoint.Load(path).Get("w", 2, 2).Data);
    }

    [Fact]
    public void ReadsParameters()
    {
        var path = _dir.File("params.pth");
        new TorchSaveWriter { AsParameters = true }
            .Add("w", new Tensor([2], [3, 4])).AddAlias("tied", "w").Save(path, TorchSaveWriter.Layout.OrderedDict);

        var sd = TorchCheckpoint.Load(path);

        Assert.Equal(["w", "tied"], sd.Keys);
        Assert.Equal([3f, 4f], sd.Get("tied", 2).Data);
    }

    [Fact]
    public void RefusesHugeExpandedViews()
    {
        // A stride-0 view of one float that claims 2^30 elements: refused instead of allocating 4 GiB.
        var path = _dir.File("expand.pth");
        new TorchSaveWriter().AddFloatStorage("0", [1f]).AddView("x", "0", 0, [1 << 15, 1 << 15], [0, 0]).Save(path);

        var e = Assert.Throws<VoxTileException>(() => TorchCheckpoint.Load(path));
        Assert.Contains("expands storage '0'", e.Message);
    }

    [Fact]
    public void FoldsWeightNormAtLoad()
    {
        var v = new Tensor([3, 2, 2], Seq(12, 0.5f));
        var g = new Tensor([3, 1, 1], [2f, -1f, 0.5f]);
        var path = _dir.File("wn.pth");
        new TorchSaveWriter()
            .Add("conv.bias", new Tensor([3], [0, 0, 0]))
            .Add("conv.weight_g", g).Add("conv.weight_v", v)
            .Add("post.weight", new Tensor([1], [1]))
            .Save(path);

        var sd = TorchCheckpoint.Load(path);

        Assert.Equal(["conv.bias", "conv.weight", "post.weight"], sd.Keys);
        Assert.False(sd.Contains("conv.weight_g"));
        Assert.Equal(WeightNormTests.Naive(g, v), sd.Get("conv.weight", 3, 2, 2).Data);
    }

    [Fact]
    public void LoadTensorReadsASingleTensorFile()
    {
        var path = _dir.File("se.pth");
        var w = new TorchSaveWriter().AddFloatStorage("0", Seq(8));
        var p = new PickleWriter();
        p.Global("torch._utils", "_rebuild_tensor_v2").Mark()
            .Mark().Str("storage").Global("torch", "FloatStorage").Str("0").Str("cpu").Int(8).Tuple(5).BinPersId()
            .Int(0).Int(1).Int(8).Int(1).Tuple(3).Int(8).Int(1).Int(1).Tuple(3)
            .False().Global("collections", "OrderedDict").EmptyTuple().Reduce().Tuple(6).Reduce().Stop();
        TorchSaveWriter.WriteZip(path, w.Entries(p.ToArray()));

        var t = TorchCheckpoint.LoadTensor(path);

        Assert.Equal([1, 8, 1], t.Shape);
        Assert.Equal(Seq(8), t.Data);
        var e = Assert.Throws<VoxTileException>(() => TorchCheckpoint.Load(path));
        Assert.Contains("single tensor", e.Message);
    }

    /// <summary>A random tensor, laid out in its storage under a random axis order and offset.</summary>
    public sealed record StridedCase(int[] Shape, int[] Permutation, int Offset, float[] Values);

    private static Gen<StridedCase> StridedCases() =>
        from rank in Gen.Choose(0, 4)
        from shape in Gen.ArrayOf(Gen.Choose(0, 4), rank)
        from perm in Gen.Shuffle(Enumerable.Range(0, rank))
        from offset in Gen.Choose(0, 3)
        from bits in Gen.ArrayOf(Gen.Choose(int.MinValue, int.MaxValue), (int)Tensor.Count(shape))
        select new StridedCase(shape, perm.ToArray(), offset, bits.Select(BitConverter.Int32BitsToSingle).ToArray());

    [Property(MaxTest = 60)]
    public Property RandomViewsRoundTripBitExactly() => Prop.ForAll(StridedCases().ToArbitrary(), c =>
    {
        int rank = c.Shape.Length;
        // Physical axis i is logical axis perm[i]; the storage holds the permuted tensor contiguously after the offset.
        var physShape = c.Permutation.Select(p => c.Shape[p]).ToArray();
        var physStrides = Tensor.Strides(physShape);
        var stride = new long[rank];
        for (int i = 0; i < rank; i++) stride[c.Permutation[i]] = physStrides[i];
        var storage = new float[c.Offset + c.Values.Length];
        var index = new int[rank];
        for (int n = 0; n < c.Values.Length; n++)
        {
            long at = c.Offset;
            for (int i = 0; i < rank; i++) at += index[i] * stride[i];
            storage[at] = c.Values[n];
            for (int i = rank - 1; i >= 0; i--) { if (++index[i] < c.Shape[i]) break; index[i] = 0; }
        }
        var path = _dir.File($"prop-{Guid.NewGuid():N}.pth");
        new TorchSaveWriter().AddFloatStorage("0", storage)
            .AddView("x", "0", c.Offset, c.Shape.Select(d => (long)d).ToArray(), stride).Save(path);

        var x = TorchCheckpoint.Load(path).Get("x", c.Shape);
        File.Delete(path);
        return x.Shape.SequenceEqual(c.Shape)
            && x.Data.Select(BitConverter.SingleToInt32Bits).SequenceEqual(c.Values.Select(BitConverter.SingleToInt32Bits));
    });
}
