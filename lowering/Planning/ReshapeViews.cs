using VoxTile.IR;
using VoxTile.IR.Ops.Ttnn;
using VoxTile.IR.Text;
using VoxTile.Lowering.Plan;

namespace VoxTile.Lowering.Planning;

/// <summary>
/// Which <c>ttnn.reshape</c>s TTNN runs as views: no program, no copy, no allocation; the result shares the operand's
/// buffer. tt-metal's <c>ReshapeViewOperation::invoke</c> (<c>ttnn/cpp/ttnn/operations/data_movement/reshape_view/reshape.cpp</c>,
/// <c>this_is_view</c>) views a device tensor when the bytes stay where they are (<see cref="Reshape.KeepsBytes"/>) and
/// the memory config asked is as sharded and as much in L1 as the operand's; the view keeps the operand's config
/// whatever config is asked, so the planner places a view where its operand is (<see cref="Simulation"/>).
/// <c>Tensor::deallocate(force=false)</c> frees a buffer only when no other tensor holds it, so deallocating each
/// tensor after its own last read frees a shared buffer after the last reader of any tensor sharing it.
/// </summary>
public static class ReshapeViews
{
    /// <summary>As sharded and as much in L1 (tt-metal's test): TTNN views across such configs and keeps the operand's.</summary>
    public static bool SameKind(MemoryConfig a, MemoryConfig b) => a.Buffer == b.Buffer && (a.Shard is null) == (b.Shard is null);

    /// <summary>Whether a planned node is a view: a reshape that keeps the bytes, placed where its operand is.</summary>
    public static bool IsView(Node n) => n.Op is Reshape && n.Inputs.Length == 1 && Reshape.IsView(n.Inputs[0].Type, n.Type);

    /// <summary>Whether a device plan's step is a view (the plan's tensor types say).</summary>
    public static bool IsView(DevicePlan plan, PlanStep s) =>
        s.Op == "ttnn.reshape" && s.Inputs.Count == 1 && s.Output >= 0
        && Reshape.IsView(Parser.ParseType(plan.Tensor(s.Inputs[0]).Type), Parser.ParseType(plan.Tensor(s.Output).Type));
}
