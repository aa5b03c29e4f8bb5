namespace VoxTile.Lowering.Planning;

/// <summary>The planner's knobs. Each changes one thing.</summary>
public sealed record PlannerOptions
{
    /// <summary>
    /// An op is sliced along time when even its best placement needs more than this share of the L1 budget on its
    /// own: the slices then leave room for the tensors live around them.
    /// </summary>
    public double SliceThreshold { get; init; } = 0.5;

    /// <summary>
    /// L1 per core kept free of tensors at the bottom of the address space, so that the CBs of the move that spills
    /// a tensor (4 pages of at most 4 KiB) always fit. ROW_MAJOR tensors with rows longer than a quarter of it stay
    /// in DRAM.
    /// </summary>
    public long SpillReserve { get; init; } = 16 * 1024;

    /// <summary>Most operands of one concat that joins slices; more slices are joined by a tree of concats.</summary>
    public int MaxConcatInputs { get; init; } = 16;

    public static PlannerOptions Default { get; } = new();
}
