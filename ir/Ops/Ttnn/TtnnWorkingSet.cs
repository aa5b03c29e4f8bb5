namespace VoxTile.IR.Ops.Ttnn;

/// <summary>
/// The circular-buffer model behind <see cref="ITtnnOp.WorkingSetBytes"/>: per-core L1 that an op's program claims
/// beside its tensors, shaped after tt-metal's program factories.
/// <list type="bullet">
/// <item>A <b>page</b> is a 32×32 tile of the operand's dtype (TILE, or a layout not chosen yet) or one row
/// (ROW_MAJOR: last dim × element size). Tile bytes: bf16 2048, bfp8_b 1088, bfp4_b 576, f32/u32/i32 4096.</item>
/// <item><b>Streaming</b> ops (eltwise, typecast, data movement): 2 pages per interleaved operand and 2 for the
/// output (double buffering). A sharded operand's CB is its shard (globally allocated CB): 0 extra bytes.</item>
/// <item><b>Row</b> ops (softmax, layer_norm, reductions, tilize/untilize): a whole row of Wt tiles per operand, twice
/// for the input and the output, plus one fp32 row of intermediates.</item>
/// <item><b>Matmul/linear</b>: a per-core output block perM×perN tiles (the output's shard, or for interleaved
/// output the 2-D split over an 8×8 grid); in0 2×perM×Kb, in1 2×Kb×perN with Kb = min(Kt, 4); out perM×perN;
/// fp32 partials perM×perN when Kt &gt; Kb; bias 2×perN.</item>
/// <item><b>Convs</b> (tt-metal defaults: height sharding, no act/weight double buffering): per-core output rows perM
/// (the output's shard, or ceil(Mt / 64)); act block perM×Kt with Kt = ceil(C·KH·KW / 32) (grouped weights are
/// expanded to block-diagonal dense by TTNN); weight block Kt×perN; out and partials perM×perN; bias perN; plus the
/// halo'd input shard (the rows that perM output rows read, × C, ROW_MAJOR). With <c>act_block_h_override</c> the act
/// block and the partials are that many tile rows high (perM / block passes over the weights, which stay whole in L1),
/// and a sharded output is the out CB itself (tt-metal allocates the out CB on the output's buffer), so only an
/// interleaved output adds its perM×perN block.</item>
/// </list>
/// The grid is Wormhole's 8×8 = 64 cores, the smallest target: on a larger grid the estimate is conservative.
/// Symbolic dims count as one tile (32).
/// </summary>
public static class TtnnWorkingSet
{
    public const int Tile = 32;
    public const int NominalCores = 64;
    public const int NominalGridSide = 8;

    /// <summary>Bytes of one 32×32 tile (block floats carry one shared exponent byte per 16 values).</summary>
    public static int TileBytes(DType t) => Numerics.TileLayout.TileBytes(t);

    /// <summary>Bytes of <paramref name="count"/> consecutive values (rounded up for block floats).</summary>
    public static long Bytes(DType t, long count) => (count * TileBytes(t) + 1023) / 1024;

    public static long Size(Dim d) => d.IsFixed ? d.Value : Tile;

    public static long Tiles(long size) => Math.Max(1, (size + Tile - 1) / Tile);

    /// <summary>Collapsed rows of the 2-D view (all dims but the last), at least 1.</summary>
    public static long Rows(TensorType t)
    {
        long r = 1;
        for (int i = 0; i < t.Rank - 1; i++) r *= Size(t.Shape[i]);
        return Math.Max(1, r);
    }

    public static long Width(TensorType t) => t.Rank == 0 ? 1 : Size(t.Shape[-1]);

    public static bool IsSharded(TensorType t) => t.Memory is { Layout: not TensorMemoryLayout.Interleaved };

    /// <summary>One page: a tile, or one row in ROW_MAJOR.</summary>
    public static long PageBytes(TensorType t) => t.Layout == Layout.RowMajor ? Bytes(t.DType, Width(t)) : TileBytes(t.DType);

    /// <summary>Double-buffered pages for every interleaved operand and the output.</summary>
    public static long Streaming(IReadOnlyList<TensorType> inputs, TensorType output, int pages = 2)
    {
        long b = 0;
        foreach (var t in inputs.Append(output))
            if (!IsSharded(t)) b += pages * PageBytes(t);
        return b;
    }

    /// <summary>A whole row of tiles per operand (double for input and output) and an fp32 row of intermediates.</summary>
    public static long RowWise(IReadOnlyList<TensorType> inputs, TensorType output)
    {
        long b = 0;
        for (int i = 0; i < inputs.Count; i++)
            b += (i == 0 ? 2 : 1) * Tiles(Width(inputs[i])) * TileBytes(inputs[i].DType);
        long wt = Tiles(Width(output));
        return b + 2 * wt * TileBytes(output.DType) + wt * TileBytes(DType.F32);
    }

    /// <summary>The output block one core computes, in tiles: its shard, or an even split of the interleaved output.</summary>
    public static (long M, long N) OutputBlock(TensorType output, long mt, long nt, bool twoD)
    {
        if (output.Memory?.Shard is { } s) return (Tiles(s.ShardHeight), Tiles(s.ShardWidth));
        return twoD
            ? ((mt + NominalGridSide - 1) / NominalGridSide, (nt + NominalGridSide - 1) / NominalGridSide)
            : ((mt + NominalCores - 1) / NominalCores, nt);
    }

    public static long Matmul(TensorType a, TensorType b, TensorType? bias, TensorType output, long kt)
    {
        long mt = Tiles(Rows(output)), nt = Tiles(Width(output));
        var (pm, pn) = OutputBlock(output, mt, nt, twoD: true);
        long kb = Math.Min(kt, 4);
        long bytes = 2 * pm * kb * TileBytes(a.DType) + 2 * kb * pn * TileBytes(b.DType) + pm * pn * TileBytes(output.DType);
        if (kt > kb) bytes += pm * pn * TileBytes(DType.F32);
        if (bias is not null) bytes += 2 * pn * TileBytes(bias.DType);
        return bytes;
    }

    /// <param name="inner">Reduction length C·KH·KW of the im2col matrix.</param>
    /// <param name="haloRows">Input rows (of C values) one core reads for its perM output rows.</param>
    /// <param name="actBlockTiles">The act block's height in tiles (<c>act_block_h_override</c> / 32), or 0 for TTNN's default (perM).</param>
    public static long Conv(TensorType input, TensorType weight, TensorType? bias, TensorType output, long inner, Func<long, long> haloRows, long actBlockTiles = 0)
    {
        long mt = Tiles(Rows(output)), nt = Tiles(Width(output));
        var (pm, pn) = OutputBlock(output, mt, nt, twoD: false);
        if (actBlockTiles <= 0 || actBlockTiles >= pm) return ConvBlocks(input, weight, bias, output.DType, pm, pn, Tiles(inner), haloRows);
        long kt = Tiles(inner);
        long bytes = actBlockTiles * kt * TileBytes(input.DType)
            + kt * pn * TileBytes(weight.DType)
            + actBlockTiles * pn * TileBytes(output.DType)
            + (IsSharded(output) ? 0 : pm * pn * TileBytes(output.DType));
        if (bias is not null) bytes += pn * TileBytes(bias.DType);
        return bytes + Bytes(input.DType, haloRows(pm * Tile) * Width(input));
    }

    /// <summary>The per-core output height in tiles a conv's default act block spans (its output shard, or an even split over the nominal grid).</summary>
    public static long ConvRowsPerCore(TensorType output) => OutputBlock(output, Tiles(Rows(output)), Tiles(Width(output)), twoD: false).M;

    /// <summary>The conv's CBs for a per-core output block of <paramref name="pm"/>×<paramref name="pn"/> tiles.</summary>
    private static long ConvBlocks(TensorType input, TensorType weight, TensorType? bias, DType output, long pm, long pn, long kt, Func<long, long> haloRows)
    {
        long bytes = pm * kt * TileBytes(input.DType)
            + kt * pn * TileBytes(weight.DType)
            + 2 * pm * pn * TileBytes(output);
        if (bias is not null) bytes += pn * TileBytes(bias.DType);
        return bytes + Bytes(input.DType, haloRows(pm * Tile) * Width(input));
    }

    /// <summary>
    /// A conv that TTNN slices through DRAM (its input and output in DRAM): per slice, the conv's CBs at the slice's
    /// size, the slice's input brought into L1 and its output held there until it is written back, over the nominal
    /// grid. TTNN shards each slice as suits it, so the least of height (64 cores along the rows), width (along the
    /// channels) and block (8×8) sharding. This, not the whole conv, is what must fit beside the live L1 tensors.
    /// </summary>
    /// <param name="sliceOutputRows">Output rows (pixels) of the largest slice.</param>
    /// <param name="sliceInputRows">Input rows (pixels) that slice reads, its halo included.</param>
    public static long SlicedConv(TensorType input, TensorType weight, TensorType? bias, TensorType output, long sliceOutputRows, long sliceInputRows,
        long inner, Func<long, long> haloRows)
    {
        long mt = Tiles(sliceOutputRows), nt = Tiles(Width(output)), kt = Tiles(inner);
        long Ceil(long a, long b) => (a + b - 1) / b;
        long inShard = Ceil(Bytes(input.DType, sliceInputRows * Width(input)), NominalCores);
        (long M, long N)[] blocks = [(Ceil(mt, NominalCores), nt), (mt, Ceil(nt, NominalCores)), (Ceil(mt, NominalGridSide), Ceil(nt, NominalGridSide))];
        return blocks.Min(b => ConvBlocks(input, weight, bias, output.DType, b.M, b.N, kt, haloRows) + b.M * b.N * TileBytes(output.DType)) + inShard;
    }
}
