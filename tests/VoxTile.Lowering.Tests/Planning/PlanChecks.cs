using VoxTile.IR;
using VoxTile.IR.Interp;
using VoxTile.IR.Ops.Graph;
using VoxTile.IR.Ops.Ttnn;
using VoxTile.IR.Verify;
using VoxTile.Lowering.Planning;

namespace VoxTile.Lowering.Tests.Planning;

/// <summary>
/// The planner's contract, checked on a plan independently of how the planner reached it: every value placed,
/// L1 never over budget (re-derived from the recorded allocations, so fragmentation and CB clashes count), nothing
/// read before it is computed or after it is freed, every device intermediate freed once after its last read, and
/// the graph's outputs in DRAM.
/// </summary>
internal static class PlanChecks
{
    public static void AssertSound(MemoryPlan plan)
    {
        var g = plan.Graph;
        Assert.Empty(Verifier.Check(g));
        long budget = plan.L1BudgetPerCore;

        // Every value placed: a layout everywhere, a memory config everywhere but on host weights.
        foreach (var n in g.Inputs.Concat(g.Nodes))
        {
            Assert.True(n.Type.Layout is not null, $"{n} has no layout");
            bool host = plan.Kinds[n] == ValueKind.HostWeight;
            Assert.True(host == (n.Type.Memory is null), $"{n}: {(host ? "a host weight with a memory config" : "no memory config")}");
            Assert.False(string.IsNullOrEmpty(plan.Why[n]), $"{n} has no reason for its placement");
            if (n.Op is Input) Assert.Equal(MemoryConfig.DramInterleaved, n.Type.Memory);
        }
        foreach (var o in g.Outputs) Assert.Equal(MemoryConfig.DramInterleaved, o.Type.Memory);

        // Steps: each op of the graph computed once, operands available and not freed, frees after the last read.
        var available = new HashSet<Node>(g.Inputs, ReferenceEqualityComparer.Instance);
        var freed = new HashSet<Node>(ReferenceEqualityComparer.Instance);
        var computed = new HashSet<Node>(ReferenceEqualityComparer.Instance);
        var outputs = new HashSet<Node>(g.Outputs, ReferenceEqualityComparer.Instance);
        for (int s = 0; s < plan.Steps.Count; s++)
        {
            var step = plan.Steps[s];
            Assert.True(step.L1InUse <= budget, $"step {s} ({step.Node}) uses {step.L1InUse} B of L1 per core, over the {budget} B budget");
            if (step.Kind == StepKind.Deallocate)
            {
                Assert.True(available.Contains(step.Node) && computed.Contains(step.Node), $"step {s} frees {step.Node}, which no step computed");
                Assert.True(freed.Add(step.Node), $"step {s} frees {step.Node} twice");
                Assert.DoesNotContain(step.Node, outputs);
                continue;
            }
            foreach (var i in step.Node.Inputs)
            {
                if (i.Op is Weight) continue;
                Assert.True(available.Contains(i), $"step {s} ({step.Node}) reads {i} before it is computed");
                Assert.False(freed.Contains(i), $"step {s} ({step.Node}) reads {i} after it was deallocated");
            }
            Assert.True(computed.Add(step.Node), $"{step.Node} is computed twice");
            available.Add(step.Node);
            if (step.Kind == StepKind.Spill) Assert.IsType<ToMemoryConfig>(step.Node.Op);
        }
        foreach (var n in g.Nodes.Where(n => n.Op is not Weight))
        {
            Assert.True(computed.Contains(n), $"{n} is in the graph but no step computes it");
            Assert.True(outputs.Contains(n) || freed.Contains(n), $"{n} is never deallocated");
        }
        // Deallocation comes after the last read: nothing reads a freed value (above); and a value is not freed before a later read.
        var lastRead = new Dictionary<Node, int>(ReferenceEqualityComparer.Instance);
        for (int s = 0; s < plan.Steps.Count; s++)
            if (plan.Steps[s].Kind != StepKind.Deallocate)
                foreach (var i in plan.Steps[s].Node.Inputs) lastRead[i] = s;
        for (int s = 0; s < plan.Steps.Count; s++)
            if (plan.Steps[s].Kind == StepKind.Deallocate && lastRead.TryGetValue(plan.Steps[s].Node, out var r))
                Assert.True(r < s, $"{plan.Steps[s].Node} is freed at step {s} but read at step {r}");

        // L1: the recorded allocations are the values in L1, sized as the footprint model says, disjoint while
        // both are live, above the CBs of every op that runs while they are, and within the budget.
        var blocks = plan.L1Blocks;
        foreach (var b in blocks)
        {
            Assert.Equal(BufferType.L1, b.Value.Type.Memory!.Buffer);
            Assert.Equal(TensorFootprint.Align(TensorFootprint.PerCoreBytes(b.Value.Type, b.Value.Type.Memory, plan.Target)), b.Size);
            Assert.True(b.Address >= 0 && b.Address + b.Size <= budget, $"{b.Value} at [{b.Address}, {b.Address + b.Size}) is outside [0, {budget})");
        }
        Assert.Equal(g.Nodes.Count(n => n.Type.Memory is { Buffer: BufferType.L1 } && !ReshapeViews.IsView(n)), blocks.Count);
        AssertViewsShareLiveBlocks(plan);
        var starting = blocks.ToLookup(b => b.From);
        var ending = blocks.ToLookup(b => b.To);
        var live = new SortedSet<L1Block>(Comparer<L1Block>.Create((x, y) => x.Address != y.Address ? x.Address.CompareTo(y.Address) : x.From.CompareTo(y.From)));
        for (int s = 0; s < plan.Steps.Count; s++)
        {
            var step = plan.Steps[s];
            foreach (var b in ending[s]) live.Remove(b);
            foreach (var b in starting[s]) live.Add(b);
            if (step.Kind == StepKind.Deallocate) continue;
            L1Block? previous = null;
            foreach (var b in live)
            {
                if (previous is not null)
                    Assert.True(previous.Address + previous.Size <= b.Address, $"step {s}: {previous.Value} and {b.Value} overlap in L1");
                previous = b;
            }
            if (live.Count > 0)
            {
                Assert.True(step.CbBytes <= live.Min!.Address, $"step {s} ({step.Node}): {step.CbBytes} B of CBs clash with {live.Min.Value} at {live.Min.Address}");
                Assert.Equal(step.CbBytes + budget - live.Min.Address, step.L1InUse);
            }
            else Assert.Equal(step.CbBytes, step.L1InUse);
            if (step.Node.Op is ITtnnOp t)
                Assert.Equal(t.WorkingSetBytes([.. step.Node.Inputs.Select(i => i.Type)], step.Node.Type), step.CbBytes);
        }
    }

    /// <summary>
    /// A view in L1 (a reshape TTNN runs in place) has no block of its own: the block of the tensor it views (through
    /// views of views) holds it, from the step that computes the view to the step that frees it.
    /// </summary>
    private static void AssertViewsShareLiveBlocks(MemoryPlan plan)
    {
        var blockOf = plan.L1Blocks.ToLookup(b => b.Value, ReferenceEqualityComparer.Instance);
        var at = new Dictionary<Node, int>(ReferenceEqualityComparer.Instance);
        var freedAt = new Dictionary<Node, int>(ReferenceEqualityComparer.Instance);
        for (int s = 0; s < plan.Steps.Count; s++)
            if (plan.Steps[s].Kind == StepKind.Deallocate) freedAt[plan.Steps[s].Node] = s;
            else at[plan.Steps[s].Node] = s;
        foreach (var v in plan.Graph.Nodes.Where(n => n.Type.Memory is { Buffer: BufferType.L1 } && ReshapeViews.IsView(n)))
        {
            var owner = v;
            while (ReshapeViews.IsView(owner)) owner = owner.Inputs[0];
            int from = at[v], to = freedAt.GetValueOrDefault(v, int.MaxValue);
            Assert.True(blockOf[owner].Any(b => b.From <= from && b.To >= to),
                $"view {v} (steps {from}..{to}) is not held by a live L1 block of {owner}");
        }
    }

    /// <summary>The planned graph computes what the graph before planning computed (slices and moves change nothing).</summary>
    public static void AssertSameValues(Graph before, MemoryPlan plan, Tensor[] inputs)
    {
        var expected = Interpreter.Run(before, inputs);
        var actual = Interpreter.Run(plan.Graph, inputs);
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.Equal(expected[i].Shape, actual[i].Shape);
            for (long k = 0; k < expected[i].Length; k++)
                Assert.True(Math.Abs(expected[i].Data[k] - actual[i].Data[k]) <= 1e-4f * (1 + Math.Abs(expected[i].Data[k])),
                    $"output {i} differs at {k}: {actual[i].Data[k]} vs {expected[i].Data[k]}");
        }
    }
}
