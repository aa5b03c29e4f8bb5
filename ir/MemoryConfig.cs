namespace VoxTile.IR;

/// <summary>TTNN tensor layouts: row-major, or 32×32 tiles.</summary>
public enum Layout { RowMajor, Tile }

/// <summary>Where a device tensor lives.</summary>
public enum BufferType { Dram, L1 }

/// <summary>How a device tensor is spread over banks or cores (TTNN's TensorMemoryLayout).</summary>
public enum TensorMemoryLayout { Interleaved, HeightSharded, WidthSharded, BlockSharded }

/// <summary>A shard: its shape (rows × columns of the 2-D view) and the cores it is spread over.</summary>
public sealed record ShardSpec(int Cores, int ShardHeight, int ShardWidth);

/// <summary>
/// The memory placement of a device tensor (TTNN's MemoryConfig). Carried on <see cref="TensorType"/>;
/// model-level values have none.
/// </summary>
public sealed record MemoryConfig(BufferType Buffer, TensorMemoryLayout Layout, ShardSpec? Shard = null)
{
    public static MemoryConfig DramInterleaved { get; } = new(BufferType.Dram, TensorMemoryLayout.Interleaved);
    public static MemoryConfig L1Interleaved { get; } = new(BufferType.L1, TensorMemoryLayout.Interleaved);

    /// <summary>Printed form: <c>dram</c>, <c>l1</c>, <c>l1_height_sharded&lt;64x128x256&gt;</c> (cores x shard height x shard width).</summary>
    public override string ToString()
    {
        var buf = Buffer == BufferType.Dram ? "dram" : "l1";
        var lay = Layout switch
        {
            TensorMemoryLayout.Interleaved => "",
            TensorMemoryLayout.HeightSharded => "_height_sharded",
            TensorMemoryLayout.WidthSharded => "_width_sharded",
            _ => "_block_sharded",
        };
        return Shard is null ? buf + lay : $"{buf}{lay}<{Shard.Cores}x{Shard.ShardHeight}x{Shard.ShardWidth}>";
    }

    public static bool TryParse(string s, out MemoryConfig? m)
    {
        m = null;
        ShardSpec? shard = null;
        int lt = s.IndexOf('<');
        if (lt >= 0)
        {
            if (!s.EndsWith('>')) return false;
            var parts = s[(lt + 1)..^1].Split('x');
            if (parts.Length != 3 || !int.TryParse(parts[0], out var c) || !int.TryParse(parts[1], out var h) || !int.TryParse(parts[2], out var w)) return false;
            shard = new ShardSpec(c, h, w);
            s = s[..lt];
        }
        BufferType buf;
        if (s.StartsWith("dram", StringComparison.Ordinal)) { buf = BufferType.Dram; s = s[4..]; }
        else if (s.StartsWith("l1", StringComparison.Ordinal)) { buf = BufferType.L1; s = s[2..]; }
        else return false;
        TensorMemoryLayout? layout = s switch
        {
            "" => TensorMemoryLayout.Interleaved,
            "_height_sharded" => TensorMemoryLayout.HeightSharded,
            "_width_sharded" => TensorMemoryLayout.WidthSharded,
            "_block_sharded" => TensorMemoryLayout.BlockSharded,
            _ => null,
        };
        if (layout is null) return false;
        if ((layout == TensorMemoryLayout.Interleaved) != (shard is null)) return false;
        m = new MemoryConfig(buf, layout.Value, shard);
        return true;
    }
}
