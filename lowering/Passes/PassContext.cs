using VoxTile.IR;
using VoxTile.Lowering.Targets;

namespace VoxTile.Lowering.Passes;

/// <summary>
/// What passes and rules may read: the target, the options, and where to report; and what a pass hands on beside its
/// graph (an analysis or a schedule: <see cref="Publish{T}"/>, read back with <see cref="Result{T}"/>, one per type,
/// the latest). Passes never keep state in it between runs.
/// </summary>
public sealed class PassContext(TargetSpec target, LoweringOptions? options = null)
{
    private readonly Dictionary<Type, object> _results = [];

    public TargetSpec Target { get; } = target;
    public LoweringOptions Options { get; } = options ?? new LoweringOptions();

    /// <summary>Notes (warnings, decisions) in the order they were made.</summary>
    public List<string> Diagnostics { get; } = [];

    /// <summary>Called with (pass name, graph) after each pass whose name <see cref="LoweringOptions.PrintIrAfter"/> selects.</summary>
    public Action<string, Graph>? PrintIrAfter { get; init; }

    public void Note(string message) => Diagnostics.Add(message);

    /// <summary>Records a pass's result of type <typeparamref name="T"/> (replacing an earlier one of that type).</summary>
    public void Publish<T>(T result) where T : class => _results[typeof(T)] = result;

    /// <summary>The latest result of type <typeparamref name="T"/> a pass published, or null.</summary>
    public T? Result<T>() where T : class => _results.TryGetValue(typeof(T), out var r) ? (T)r : null;
}

/// <summary>Switches of the lowering. Each one changes one thing; none silently changes another.</summary>
public sealed record LoweringOptions
{
    /// <summary>Lower ConvTranspose1d to ttnn.conv_transpose2d with height 1 instead of polyphase conv1d (for comparison).</summary>
    public bool ConvTransposeAsConvTranspose2d { get; init; }

    /// <summary>dtype of weights on the device.</summary>
    public DType WeightDType { get; init; } = DType.BF16;

    /// <summary>dtype of activations on the device.</summary>
    public DType ActivationDType { get; init; } = DType.BF16;

    /// <summary>Pass names after which to print the graph ("all" for every pass).</summary>
    public IReadOnlySet<string> PrintIrAfter { get; init; } = new HashSet<string>();

    /// <summary>
    /// Names of values a caller observes as they are computed (golden intermediates): the fuse pass keeps each one a
    /// value of its own, never folded into another op.
    /// </summary>
    public IReadOnlySet<string> Keep { get; init; } = new HashSet<string>();

    /// <summary>The memory planner's knobs (<c>plan-memory</c>), e.g. explicit time slicing instead of TTNN's DRAM-sliced convs.</summary>
    public Planning.PlannerOptions Planner { get; init; } = Planning.PlannerOptions.Default;

    /// <summary>Verify the graph after every pass (on by default: a pass that breaks types is caught where it happens).</summary>
    public bool VerifyEachPass { get; init; } = true;
}
