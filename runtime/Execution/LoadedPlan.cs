using VoxTile.IR;
using VoxTile.Lowering.Plan;
using VoxTile.Lowering.Targets;

namespace VoxTile.Runtime.Execution;

/// <summary>
/// A device plan checked against this runtime and its target: every tensor's printed type parsed, every step's op
/// recreated from its name and printed attributes (so the executor dispatches on typed ops and the reference check
/// can evaluate them), the step that last reads each tensor, and where the plan came from (for errors).
/// </summary>
public sealed class LoadedPlan
{
    internal LoadedPlan(DevicePlan plan, TargetSpec target, string source, IReadOnlyList<TensorType> types, IReadOnlyList<Op?> ops)
    {
        Plan = plan;
        Target = target;
        Source = source;
        Types = types;
        Ops = ops;
    }

    public DevicePlan Plan { get; }
    public TargetSpec Target { get; }

    /// <summary>The file (or description) the plan was read from.</summary>
    public string Source { get; }

    /// <summary>Each tensor's type, by tensor id.</summary>
    public IReadOnlyList<TensorType> Types { get; }

    /// <summary>Each step's op, by step index (null for <c>ttnn.deallocate</c>).</summary>
    public IReadOnlyList<Op?> Ops { get; }

    public IReadOnlyList<PlanStep> Steps => Plan.Steps;

    /// <summary>This plan without its weight blob (once the weights are on the device, the host copy is not needed).</summary>
    public LoadedPlan WithoutBlob() => new(Plan with { Blob = [] }, Target, Source, Types, Ops);

    public PlanTensor Tensor(int id) => Plan.Tensors[id];

    /// <summary>How a step is named in errors and traces: index, op and the value it came from.</summary>
    public string Describe(int step)
    {
        var s = Plan.Steps[step];
        var what = s.Output >= 0 ? $" → %{Plan.Tensors[s.Output].Name}" : s.Inputs.Count > 0 ? $" %{Plan.Tensors[s.Inputs[0]].Name}" : "";
        return $"step {step} ({s.Op}{what}{(s.Origin is { } o ? $", from %{o}" : "")})";
    }
}
