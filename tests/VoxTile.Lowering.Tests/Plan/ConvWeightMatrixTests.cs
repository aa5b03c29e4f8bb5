using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using VoxTile.IR;
using VoxTile.IR.Numerics;
using VoxTile.Lowering.Plan;

namespace VoxTile.Lowering.Tests.Plan;

/// <summary>
/// bfp8_b conv weights are packed as TTNN prepares them: the matrix [taps·C_in/groups, C_out], so each shared exponent
/// spans 16 consecutive output channels at one (input channel, tap), and re-packing the unpacked values (what TTNN does
/// with the f32 host weight the emitted program hands it) gives the same bytes.
/// </summary>
public sealed class ConvWeightMatrixTests
{
    private static Tensor Random(int seed, params int[] shape)
    {
        var r = new Random(seed);
        var t = new Tensor(shape);
        // Exponents spread over 2^-12..2^4 so that the block each value shares decides its rounding.
        for (int i = 0; i < t.Length; i++) t.Data[i] = (float)((r.NextDouble() * 2 - 1) * Math.Pow(2, r.Next(-12, 5)));
        return t;
    }

    private static readonly Gen<(int Cout, int Cin, int K, int Seed)> Cases =
        from cout in Gen.Choose(1, 70)
        from cin in Gen.Choose(1, 40)
        from k in Gen.Choose(1, 7)
        from seed in Gen.Choose(0, 1000)
        select (cout, cin, k, seed);

    private static TensorType HostBfp8(params int[] shape) => new(DType.BFP8_B, new Shape(shape), Layout.Tile);

    [Property(MaxTest = 30)]
    public Property EachExponentSpansSixteenOutputChannels() => Prop.ForAll(Cases.ToArbitrary(), @case =>
        {
            var (cout, cin, k, seed) = @case;
            var w = Random(seed, cout, cin, k);
            var back = WeightPacking.Unpack(WeightPacking.Pack(w, HostBfp8(cout, cin, k)), HostBfp8(cout, cin, k));
            var block = new float[BlockFloat.Block];
            for (int c = 0; c < cin; c++)
                for (int t = 0; t < k; t++)
                    for (int o0 = 0; o0 < cout; o0 += 16)
                    {
                        Array.Clear(block);
                        for (int j = 0; j < 16 && o0 + j < cout; j++) block[j] = w.Data[((o0 + j) * cin + c) * k + t];
                        for (int j = 0; j < 16 && o0 + j < cout; j++)
                            Assert.Equal(BlockFloat.RoundTrip(block, j, DType.BFP8_B), back.Data[((o0 + j) * cin + c) * k + t]);
                    }
        });

    [Theory]
    [InlineData(192, 192, 5)]
    [InlineData(513, 256, 4)]
    [InlineData(7, 3, 1)]
    public void RepackingTheUnpackedValuesChangesNoByte(int cout, int cin, int k)
    {
        var type = HostBfp8(cout, cin, k);
        var bytes = WeightPacking.Pack(Random(cout, cout, cin, k), type);
        Assert.Equal(WeightPacking.PackedBytes(type), bytes.Length);
        Assert.Equal(bytes, WeightPacking.Pack(WeightPacking.Unpack(bytes, type), type));
    }

    [Fact]
    public void TheMatrixIsTtnnsRowsTapMajorColumnsOutputChannels()
    {
        var w = Random(3, 4, 3, 2); // [O, C, K]
        var m = ConvWeightMatrix.Of(w);
        Assert.Equal([2 * 3, 4], m.Shape);
        for (int o = 0; o < 4; o++)
            for (int c = 0; c < 3; c++)
                for (int k = 0; k < 2; k++)
                    Assert.Equal(w.Data[(o * 3 + c) * 2 + k], m.Data[(k * 3 + c) * 4 + o]);
        Assert.Equal(w.Data, ConvWeightMatrix.Weight(m, [4, 3, 2]).Data);
    }

    [Fact]
    public void OnlyHostBlockFloatWeightsOfConvRankAreHeldSo()
    {
        Assert.True(ConvWeightMatrix.Holds(HostBfp8(8, 4, 3)));
        Assert.False(ConvWeightMatrix.Holds(new TensorType(DType.BF16, new Shape(8, 4, 3), Layout.RowMajor)));
        Assert.False(ConvWeightMatrix.Holds(HostBfp8(8, 4)));
        Assert.False(ConvWeightMatrix.Holds(new TensorType(DType.BFP8_B, new Shape(8, 4, 3), Layout.Tile, MemoryConfig.DramInterleaved)));
    }
}
