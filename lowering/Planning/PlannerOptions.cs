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

    /// <summary>
    /// A conv too large for L1 is run by TTNN slice by slice through DRAM (one conv step carrying a slice config,
    /// <see cref="DramConvSlicer"/>) instead of explicit <c>ttnn.slice</c>/<c>ttnn.concat</c> steps around several convs.
    /// Off: every op that does not fit is cut explicitly (as before TTNN had the slice config; tests compare the two).
    /// Convs that hit a known defect are cut explicitly either way (<see cref="Workarounds.KnownDefects"/>).
    /// </summary>
    public bool DramSliceConvs { get; init; } = true;

    /// <summary>
    /// A conv that both TTNN's DRAM slicing and explicit slices can cut is cut explicitly where that models cheaper for
    /// its region (<see cref="ConvSliceChoice"/>: the DRAM its neighbours would move against the explicit steps and their
    /// op-to-op gaps), best saving per added op first, while the plan's ops (deallocations not counted) stay within this
    /// many. 0 keeps every such conv one DRAM-sliced step; <see cref="int.MaxValue"/> lets the modeled cost alone decide.
    /// The default is issue 11's target for the 5 s converter on n150.
    /// </summary>
    public int OpBudget { get; init; } = 1000;

    /// <summary>
    /// A conv1d whose default act block (one core's whole output height) leaves no room around it gets a shorter one,
    /// TTNN's <c>act_block_h_override</c>, where that lets it run whole in L1 (<see cref="ConvActBlocks"/>), before the
    /// time slicer looks. On for both models' plans (5 s on n150: the converter 1.54× → 1.19× the roofline, MeloTTS
    /// 1.93× → 1.44×); off gives the plans that slice such convs along time instead.
    /// </summary>
    public bool ShrinkConvActBlocks { get; init; } = true;

    /// <summary>Most operands of one concat that joins slices; more slices are joined by a tree of concats.</summary>
    public int MaxConcatInputs { get; init; } = 16;

    public static PlannerOptions Default { get; } = new();
}
