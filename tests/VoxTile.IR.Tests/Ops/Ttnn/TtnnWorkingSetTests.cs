using VoxTile.IR.Ops.Ttnn;

namespace VoxTile.IR.Tests.Ops.Ttnn;

/// <summary>The circular-buffer model's arithmetic on hand-checked cases.</summary>
public sealed class TtnnWorkingSetTests
{
    private static TensorType T(DType d, Layout l, MemoryConfig? m, params int[] s) => new(d, new Shape(s), l, m);

    [Fact]
    public void TileBytesAreTtnns()
    {
        Assert.Equal(2048, TtnnWorkingSet.TileBytes(DType.BF16));
        Assert.Equal(1088, TtnnWorkingSet.TileBytes(DType.BFP8_B));
        Assert.Equal(576, TtnnWorkingSet.TileBytes(DType.BFP4_B));
        Assert.Equal(4096, TtnnWorkingSet.TileBytes(DType.F32));
    }

    [Fact]
    public void EltwiseDoubleBuffersTilesOrRowsAndAliasesShards()
    {
        var tile = T(DType.BF16, Layout.Tile, MemoryConfig.DramInterleaved, 64, 64);
        Assert.Equal(3 * 2 * 2048, new Add().WorkingSetBytes([tile, tile], tile));
        var rows = T(DType.F32, Layout.RowMajor, MemoryConfig.DramInterleaved, 10, 100);
        Assert.Equal(2 * 2 * 400, new Relu().WorkingSetBytes([rows], rows));
        var sharded = T(DType.BF16, Layout.Tile, new MemoryConfig(BufferType.L1, TensorMemoryLayout.HeightSharded, new ShardSpec(2, 32, 64)), 64, 64);
        Assert.Equal(2 * 2048, new Add().WorkingSetBytes([sharded, tile], sharded));
    }

    [Fact]
    public void MatmulBlocksFollowTheOutputShard()
    {
        // [256, 512] × [512, 256]: Mt = Nt = 8, Kt = 16, Kb = 4. Interleaved: 8×8 grid → 1×1 tile blocks.
        var a = T(DType.BF16, Layout.Tile, MemoryConfig.DramInterleaved, 256, 512);
        var b = T(DType.BFP8_B, Layout.Tile, MemoryConfig.DramInterleaved, 512, 256);
        var y = T(DType.BF16, Layout.Tile, MemoryConfig.L1Interleaved, 256, 256);
        Assert.Equal(2 * 4 * 2048 + 2 * 4 * 1088 + 2048 + 4096, new Matmul().WorkingSetBytes([a, b], y));
        // Block sharded 64×128 shards: 2×4 tile blocks.
        var ys = y with { Memory = new MemoryConfig(BufferType.L1, TensorMemoryLayout.BlockSharded, new ShardSpec(8, 64, 128)) };
        Assert.Equal(2 * 2 * 4 * 2048 + 2 * 4 * 4 * 1088 + 8 * 2048 + 8 * 4096, new Matmul().WorkingSetBytes([a, b], ys));
    }

    [Fact]
    public void ConvHoldsTheWholeWeightBlockPerCoreWhenHeightSharded()
    {
        // conv1d 64→64, K = 3, L = 2048: output [1, 1, 2048, 64] → Mt = 64 → 1 tile row per core (64 cores); Kt = 6, Nt = 2.
        var op = new Conv1d { BatchSize = 1, InChannels = 64, OutChannels = 64, InputLength = 2048, KernelSize = 3, Padding = [1] };
        var x = T(DType.BF16, Layout.RowMajor, MemoryConfig.L1Interleaved, 1, 2048, 1, 64);
        var w = new TensorType(DType.BF16, new Shape(64, 64, 3));
        var y = T(DType.BF16, Layout.Tile, MemoryConfig.L1Interleaved, 1, 1, 2048, 64);
        long act = 1 * 6 * 2048, weights = 6 * 2 * 2048, outs = 2 * 1 * 2 * 2048, halo = (32 + 2) * 64 * 2;
        Assert.Equal(act + weights + outs + halo, op.WorkingSetBytes([x, w], y));
    }
}
