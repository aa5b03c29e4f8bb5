using VoxTile.IR;
using VoxTile.Lowering.Passes;

namespace VoxTile.Lowering.Planning;

/// <summary>
/// <c>plan-memory</c>: places every value in L1 or DRAM and schedules the graph (<see cref="MemoryPlanner"/>). The
/// graph it returns carries the placements in its types; the schedule (<see cref="MemoryPlan"/>) is the pass's result
/// in the context (<c>context.Result&lt;MemoryPlan&gt;()</c>).
/// </summary>
public sealed class PlanMemoryPass(PlannerOptions? options = null) : Pass
{
    public const string PassName = "plan-memory";

    public override string Name => PassName;

    public override Graph Run(Graph graph, PassContext context)
    {
        var plan = MemoryPlanner.Plan(graph, context.Target, options ?? context.Options.Planner);
        context.Note($"plan-memory: peak L1 {TensorFootprint.Describe(plan.PeakL1PerCore)} of {TensorFootprint.Describe(plan.L1BudgetPerCore)} per core, {plan.Spills} spills, {plan.Reshards} reshards, {plan.SlicedOps} ops sliced");
        foreach (var w in plan.Workarounds) context.Note("workaround " + w);
        context.Publish(plan);
        return plan.Graph;
    }
}
