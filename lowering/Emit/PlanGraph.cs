using VoxTile.IR;
using VoxTile.IR.Ops.Graph;
using VoxTile.IR.Text;
using VoxTile.Lowering.Plan;

namespace VoxTile.Lowering.Emit;

/// <summary>
/// A device plan as an IR graph for the reference interpreter: its inputs, its weights (the values the plan holds,
/// <see cref="PlanWeights"/>) and its op steps with the types the plan gives them (deallocations are no values).
/// <see cref="Tensors"/> maps each node back to its plan tensor.
/// </summary>
public sealed class PlanGraph
{
    private PlanGraph(Graph graph, IReadOnlyDictionary<Node, int> tensors)
    {
        Graph = graph;
        Tensors = tensors;
    }

    public Graph Graph { get; }
    public IReadOnlyDictionary<Node, int> Tensors { get; }

    public static PlanGraph Build(DevicePlan plan, Func<string, Tensor?>? weightFallback = null)
    {
        var nodes = new Dictionary<int, Node>();
        var back = new Dictionary<Node, int>(ReferenceEqualityComparer.Instance);
        var cx = new EmitContext(plan);
        var inputs = new List<Node>();
        foreach (var i in plan.Inputs)
        {
            var t = plan.Tensor(i);
            var n = Input.Create(cx.Local(i), cx.TypeOf(i), t.Kind == PlanTensorKind.Noise ? t.Seed : null);
            nodes[i] = n;
            back[n] = i;
            inputs.Add(n);
        }
        Node Get(int id)
        {
            if (nodes.TryGetValue(id, out var n)) return n;
            var t = plan.Tensor(id);
            if (t.Kind != PlanTensorKind.Weight) throw new VoxTileException($"plan tensor {t.Name} is read before a step computes it");
            n = Weight.Create(t.Key ?? t.Name, cx.TypeOf(id), PlanWeights.Value(plan, t, weightFallback), null);
            nodes[id] = n;
            back[n] = id;
            return n;
        }
        foreach (var step in plan.Steps)
        {
            if (step.IsDeallocate) continue;
            var op = PythonEmitter.CreateOp(plan, step);
            var n = Node.CreateTyped(op, [.. step.Inputs.Select(Get)], cx.TypeOf(step.Output));
            nodes[step.Output] = n;
            back[n] = step.Output;
        }
        var outputs = plan.Outputs.Select(o => nodes.TryGetValue(o, out var n) ? n : throw new VoxTileException($"plan output {plan.Tensor(o).Name} is never computed"));
        return new PlanGraph(Graph.Create(plan.Graph, inputs, outputs), back);
    }
}
