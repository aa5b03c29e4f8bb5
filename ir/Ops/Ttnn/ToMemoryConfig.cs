namespace VoxTile.IR.Ops.Ttnn;

/// <summary>
/// <c>ttnn.to_memory_config(tensor, memory_config)</c>: DRAM↔L1, interleaved↔sharded, reshard. The value is
/// unchanged; the result's type carries the new placement and keeps the input's layout. The attribute is
/// <see cref="MemoryConfig"/>'s printed form (<c>dram</c>, <c>l1</c>, <c>l1_height_sharded&lt;64x32x256&gt;</c>):
/// attributes print as scalars, strings, enums and lists only. Build it with <see cref="Create"/>.
/// </summary>
[Op("ttnn.to_memory_config", "tensor")]
[Kernel("vt_typecast")]
public sealed partial class ToMemoryConfig : Op, ITtnnOp
{
    [Attr] public required string MemoryConfig { get; init; }

    /// <summary>The placement, or null when the attribute does not parse.</summary>
    public IR.MemoryConfig? Target => IR.MemoryConfig.TryParse(MemoryConfig ?? "", out var m) ? m : null;

    /// <summary>A <c>ttnn.to_memory_config</c> node placing <paramref name="tensor"/> at <paramref name="memory"/>.</summary>
    public static Node Create(Node tensor, IR.MemoryConfig memory, string? name = null) =>
        IR.Ttnn.ToMemoryConfig(tensor, memory.ToString(), name);

    public override TypeResult InferType(IReadOnlyList<TensorType> t)
    {
        if (Target is not { } m) return TypeResult.Fail($"memory_config \"{MemoryConfig}\" is not a memory config (dram, l1, l1_height_sharded<cores x height x width>, …)");
        return ShardError(t[0], m) is { } e ? TypeResult.Fail(e) : new TensorType(t[0].DType, t[0].Shape, t[0].Layout, m);
    }

    /// <summary>
    /// Whether a shard spec covers the 2-D view of the tensor (rows = all dims but the last; in TILE the last two
    /// dims round up to 32, and so must the shard): height sharding splits rows over the cores with whole rows,
    /// width sharding columns with whole columns, block sharding both.
    /// </summary>
    private static string? ShardError(TensorType x, IR.MemoryConfig m)
    {
        if (m.Shard is not { } s) return null;
        if (s.Cores < 1 || s.ShardHeight < 1 || s.ShardWidth < 1) return $"shard {s} must have positive cores and sizes";
        if (x.Rank == 0 || !x.Shape.IsFixed) return null;
        bool tile = x.Layout == IR.Layout.Tile;
        if (tile && (s.ShardHeight % 32 != 0 || s.ShardWidth % 32 != 0)) return $"a TILE tensor needs shard sizes in whole tiles, got {s.ShardHeight}x{s.ShardWidth}";
        var dims = x.Shape.ToArray();
        long width = dims[^1], rows = 1;
        for (int i = 0; i < dims.Length - 1; i++) rows *= i == dims.Length - 2 && tile ? (dims[i] + 31) / 32 * 32 : dims[i];
        if (tile)
        {
            if (dims.Length == 1) rows = 32; // a vector is one row of tiles, padded to 32 rows like any other
            width = (width + 31) / 32 * 32;
        }
        long shardsH = (rows + s.ShardHeight - 1) / s.ShardHeight, shardsW = (width + s.ShardWidth - 1) / s.ShardWidth;
        return m.Layout switch
        {
            TensorMemoryLayout.HeightSharded when s.ShardWidth != width => $"height sharding needs the shard width to be the tensor's width {width}, got {s.ShardWidth}",
            TensorMemoryLayout.WidthSharded when s.ShardHeight != rows => $"width sharding needs the shard height to be the tensor's {rows} rows, got {s.ShardHeight}",
            _ when shardsH * shardsW > s.Cores => $"{shardsH}x{shardsW} shards of {s.ShardHeight}x{s.ShardWidth} do not fit on {s.Cores} cores for {rows}x{width}",
            _ => null,
        };
    }

    public override Tensor Evaluate(IReadOnlyList<Tensor> inputs) => inputs[0];

    public IReadOnlyList<OperandRequirement> OperandRequirements => [OperandRequirement.Device("tensor", LayoutRequirement.Any, true)];

    public long WorkingSetBytes(IReadOnlyList<TensorType> inputs, TensorType output) => TtnnWorkingSet.Streaming(inputs, output);
}
