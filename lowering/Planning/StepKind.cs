namespace VoxTile.Lowering.Planning;

/// <summary>What a step of the schedule does.</summary>
public enum StepKind
{
    /// <summary>Runs an op of the graph.</summary>
    Op,

    /// <summary>Spills a tensor from L1 to DRAM (<c>ttnn.to_memory_config</c>) to make room.</summary>
    Spill,

    /// <summary>Frees a tensor after its last use (<c>ttnn.deallocate</c>).</summary>
    Deallocate,
}
