using VoxTile.IR;
using VoxTile.Lowering.Targets;

namespace VoxTile.Lowering.Planning;

/// <summary>
/// How many bytes of each core's L1 a device tensor takes, as TTNN lays it out. The 2-D view folds every dim but
/// the last into rows; in TILE the last two dims are each padded to 32 (so a [2, 3, 4] tensor is 64 × 32), in
/// ROW_MAJOR a page is one row, 16-byte aligned.
/// <list type="bullet">
/// <item>DRAM: no L1 (interleaved over the DRAM banks).</item>
/// <item>L1 interleaved: pages round-robin over every core, so a core holds ⌈pages / cores⌉ of them.</item>
/// <item>L1 sharded: one shard per core (the shard spec's height × width), on the cores the spec names.</item>
/// </list>
/// Every size is rounded up to <see cref="Alignment"/>: tt-metal allocates L1 in lockstep over the banks, at one
/// address on every core, so one per-core address space models them all.
/// </summary>
public static class TensorFootprint
{
    public const int Tile = TargetSpec.TileSize;

    /// <summary>Allocation granule in L1 (tt-mlir's L1 tracker aligns to 32 B).</summary>
    public const int Alignment = 32;

    /// <summary>ROW_MAJOR pages are aligned to the L1 alignment of both architectures (16 B).</summary>
    public const int PageAlignment = 16;

    public static long Align(long bytes, long to = Alignment) => (bytes + to - 1) / to * to;

    /// <summary>The fixed sizes of a type, or a one-line error: the planner needs static shapes (one plan per length bucket).</summary>
    public static int[] Dims(TensorType t) =>
        t.Shape.IsFixed ? t.Shape.ToArray() : throw new VoxTileException($"plan-memory needs static shapes, got {t}: compile one plan per length bucket");

    /// <summary>Rows and columns of the 2-D view in elements, padded to whole tiles in TILE.</summary>
    public static (long Rows, long Cols) View(TensorType t)
    {
        var d = Dims(t);
        bool tile = t.Layout != Layout.RowMajor;
        if (d.Length == 0) return tile ? (Tile, Tile) : (1, 1);
        long cols = d[^1];
        long h = d.Length >= 2 ? d[^2] : 1;
        long lead = 1;
        for (int i = 0; i < d.Length - 2; i++) lead *= d[i];
        if (!tile) return (lead * h, cols);
        return (lead * PadTile(h), PadTile(cols));
    }

    public static long PadTile(long n) => Math.Max(1, (n + Tile - 1) / Tile) * Tile;

    public static int ElementBytes(DType t) => t switch
    {
        DType.BF16 => 2,
        DType.F32 or DType.U32 or DType.I32 => 4,
        _ => throw new VoxTileException($"{t.Name()} exists only in TILE layout"),
    };

    /// <summary>One page: a tile of the dtype, or one 16-byte aligned row in ROW_MAJOR.</summary>
    public static long PageBytes(TensorType t) =>
        t.Layout == Layout.RowMajor ? Align(View(t).Cols * ElementBytes(t.DType), PageAlignment) : TargetSpec.TileBytes(t.DType);

    public static long Pages(TensorType t)
    {
        var (r, c) = View(t);
        return t.Layout == Layout.RowMajor ? r : r / Tile * (c / Tile);
    }

    /// <summary>The whole tensor on the device, padded as laid out.</summary>
    public static long TotalBytes(TensorType t) => Pages(t) * PageBytes(t);

    /// <summary>Bytes of the tensor packed as the plan stores it: whole tiles in TILE, the bare elements in ROW_MAJOR.</summary>
    public static long PackedBytes(TensorType t)
    {
        if (t.Layout != Layout.RowMajor) return TotalBytes(t);
        long n = 1;
        foreach (var d in Dims(t)) n *= d;
        return n * ElementBytes(t.DType);
    }

    /// <summary>L1 bytes per core of a tensor placed at <paramref name="m"/> (0 for DRAM or the host).</summary>
    public static long PerCoreBytes(TensorType t, MemoryConfig? m, TargetSpec target)
    {
        if (m is null || m.Buffer == BufferType.Dram) return 0;
        if (m.Shard is not { } s)
        {
            long pages = Pages(t);
            return Align((pages + target.Cores - 1) / target.Cores * PageBytes(t));
        }
        if (t.Layout == Layout.RowMajor) return Align(s.ShardHeight * Align((long)s.ShardWidth * ElementBytes(t.DType), PageAlignment));
        return Align((long)s.ShardHeight / Tile * (s.ShardWidth / Tile) * TargetSpec.TileBytes(t.DType));
    }

    /// <summary>Cores that hold a part of the tensor: every core for interleaved L1, the shard cores otherwise.</summary>
    public static int CoresHolding(TensorType t, MemoryConfig? m, TargetSpec target) =>
        m?.Shard?.Cores ?? (int)Math.Min(target.Cores, Math.Max(1, Pages(t)));

    /// <summary>
    /// The shardings TTNN could give a tensor on this grid, the fewest bytes per core first (ties: height, block,
    /// width). ROW_MAJOR tensors shard by height only. The first is the tensor's <b>canonical</b> sharding: values
    /// of one shape share it, so a sharded eltwise op finds its operands sharded like its output.
    /// </summary>
    public static IReadOnlyList<MemoryConfig> Shardings(TensorType t, TargetSpec target)
    {
        var (rows, cols) = View(t);
        int cores = target.Cores;
        var list = new List<(MemoryConfig M, long PerCore, int Rank)>();
        if (t.Layout == Layout.RowMajor)
        {
            long h = (rows + cores - 1) / cores;
            int used = (int)((rows + h - 1) / h);
            list.Add((new MemoryConfig(BufferType.L1, TensorMemoryLayout.HeightSharded, new ShardSpec(used, (int)h, (int)cols)), 0, 0));
        }
        else
        {
            long rt = rows / Tile, ct = cols / Tile;
            {
                long h = (rt + Math.Min(cores, rt) - 1) / Math.Min(cores, rt);
                int used = (int)((rt + h - 1) / h);
                list.Add((Sharded(TensorMemoryLayout.HeightSharded, used, h, ct), h * ct, 0));
            }
            if (rt > 1 && ct > 1)
            {
                int gy = (int)Math.Min(target.GridY, rt), gx = (int)Math.Min(target.GridX, ct);
                long h = (rt + gy - 1) / gy, w = (ct + gx - 1) / gx;
                int used = (int)(((rt + h - 1) / h) * ((ct + w - 1) / w));
                list.Add((Sharded(TensorMemoryLayout.BlockSharded, used, h, w), h * w, 1));
            }
            if (ct > 1)
            {
                long w = (ct + Math.Min(cores, ct) - 1) / Math.Min(cores, ct);
                int used = (int)((ct + w - 1) / w);
                list.Add((Sharded(TensorMemoryLayout.WidthSharded, used, rt, w), rt * w, 2));
            }
        }
        return [.. list.OrderBy(x => x.PerCore).ThenBy(x => x.Rank).Select(x => x.M).Distinct()];
    }

    private static MemoryConfig Sharded(TensorMemoryLayout layout, int cores, long tilesHigh, long tilesWide) =>
        new(BufferType.L1, layout, new ShardSpec(cores, (int)(tilesHigh * Tile), (int)(tilesWide * Tile)));

    /// <summary>The canonical sharding (see <see cref="Shardings"/>).</summary>
    public static MemoryConfig CanonicalShard(TensorType t, TargetSpec target) => Shardings(t, target)[0];

    public static string Describe(long bytes) => bytes switch
    {
        >= 1L << 20 => $"{bytes / (double)(1 << 20):0.##} MiB",
        >= 1L << 10 => $"{bytes / 1024.0:0.#} KiB",
        _ => $"{bytes} B",
    };
}
