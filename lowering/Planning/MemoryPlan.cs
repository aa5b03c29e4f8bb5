using VoxTile.IR;
using VoxTile.Lowering.Targets;

namespace VoxTile.Lowering.Planning;

/// <summary>
/// What <c>plan-memory</c> decided: the planned graph (every value's type carries its layout and memory config;
/// spills are <c>ttnn.to_memory_config</c> nodes), the schedule that runs it (op, spill and deallocate steps in
/// order), why each value sits where it does, and the L1 figures. A graph's schedule is not part of the graph: the
/// pass publishes it as its result (<see cref="Passes.PassContext.Result{T}"/>), and <see cref="MemoryPlanner.Plan"/>
/// returns it.
/// </summary>
public sealed class MemoryPlan
{
    public required TargetSpec Target { get; init; }
    public required Graph Graph { get; init; }
    public required IReadOnlyList<ScheduledStep> Steps { get; init; }

    /// <summary>Why each value of <see cref="Graph"/> (inputs and weights included) is placed where it is.</summary>
    public required IReadOnlyDictionary<Node, string> Why { get; init; }

    /// <summary>What each value is (input, noise, weight, host weight, op result, host op result).</summary>
    public required IReadOnlyDictionary<Node, ValueKind> Kinds { get; init; }

    /// <summary>Each L1 residency (for checking the allocator; not part of the device plan: TTNN allocates itself).</summary>
    public required IReadOnlyList<L1Block> L1Blocks { get; init; }

    public long L1BudgetPerCore => Target.L1BudgetPerCore;
    public long PeakL1PerCore => Steps.Count == 0 ? 0 : Steps.Max(s => s.L1InUse);
    public int Spills => Steps.Count(s => s.Kind == StepKind.Spill);

    /// <summary>Moves between two placements that the planner inserted for a consumer (not spills).</summary>
    public required int Reshards { get; init; }

    /// <summary>Ops cut along time into slices (each counted once).</summary>
    public required int SlicedOps { get; init; }

    /// <summary>Convs that TTNN could have sliced through DRAM but that are cut explicitly, the cheaper region (<see cref="ConvSliceChoice"/>).</summary>
    public int ExplicitByChoice { get; init; }

    /// <summary>
    /// The ops of the program: the steps that run something (ops and spills; deallocations free a buffer and run
    /// nothing), plus the input views of DRAM-sliced conv1ds (<see cref="DramConvSlicer.EmittedViews"/>).
    /// </summary>
    public int Ops => Steps.Where(s => s.Kind != StepKind.Deallocate).Sum(s => 1 + DramConvSlicer.EmittedViews(s.Node.Op, s.Node.Inputs.Length > 0 ? s.Node.Inputs[0].Type : s.Node.Type));

    /// <summary>The workarounds that fired, one line each, citing their upstream issues.</summary>
    public required IReadOnlyList<string> Workarounds { get; init; }
}
