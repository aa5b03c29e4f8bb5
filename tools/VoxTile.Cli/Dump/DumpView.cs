using VoxTile.IR;
using VoxTile.IR.Ops.Graph;
using VoxTile.Lowering.Plan;

namespace VoxTile.Cli.Dump;

/// <summary>
/// A graph or a device plan reduced to what the dot and HTML views draw: values with their placements and
/// operands, and, for a plan, L1 in use per core at every step.
/// </summary>
internal sealed class DumpView
{
    public required string Title { get; init; }
    public required IReadOnlyList<DumpNode> Nodes { get; init; }
    public required IReadOnlyList<int> Outputs { get; init; }

    /// <summary>Per step: its op (or ttnn.deallocate) and L1 in use per core; empty before planning.</summary>
    public IReadOnlyList<(string Op, long L1)> Timeline { get; init; } = [];

    public long L1Budget { get; init; }
    public IReadOnlyList<string> Facts { get; init; } = [];

    public static DumpView Of(DevicePlan plan)
    {
        var nodes = new List<DumpNode>();
        var index = new Dictionary<int, int>();
        void Add(PlanTensor t, string op, IReadOnlyList<int> inputs)
        {
            index[t.Id] = nodes.Count;
            nodes.Add(new DumpNode(nodes.Count, t.Name, op, t.Type, PlacementOf(t.Type), [.. inputs.Select(i => index[i])], t.Why));
        }
        foreach (var i in plan.Inputs) Add(plan.Tensor(i), plan.Tensor(i).Kind == PlanTensorKind.Noise ? "noise" : "input", []);
        foreach (var step in plan.Steps)
        {
            if (step.IsDeallocate) continue;
            foreach (var i in step.Inputs)
                if (!index.ContainsKey(i)) Add(plan.Tensor(i), "weight", []);
            Add(plan.Tensor(step.Output), step.Op, step.Inputs);
        }
        var sum = plan.Summary;
        return new DumpView
        {
            Title = $"{plan.Graph} on {plan.Target}",
            Nodes = nodes,
            Outputs = [.. plan.Outputs.Select(o => index[o])],
            Timeline = [.. plan.Steps.Select(s => (s.Op, s.L1BytesPerCore))],
            L1Budget = sum.L1BudgetPerCore,
            Facts =
            [
                .. plan.Bucket.OrderBy(b => b.Key, StringComparer.Ordinal).Select(b => $"{b.Key}: {b.Value}"),
                $"steps: {plan.Steps.Count}",
                $"peak L1 per core: {sum.PeakL1BytesPerCore:N0} of {sum.L1BudgetPerCore:N0} B",
                $"spills / reshards / sliced ops: {sum.Spills} / {sum.Reshards} / {sum.Slices}",
                $"DRAM traffic: {sum.DramBytesMoved / 1e9:F3} GB",
                $"modeled time: {sum.ModeledSeconds * 1e3:F2} ms (roofline {sum.RooflineSeconds * 1e3:F2} ms)",
                $"host ops: {sum.HostOps}",
            ],
        };
    }

    public static DumpView Of(Graph g, string stage)
    {
        var nodes = new List<DumpNode>();
        var index = new Dictionary<Node, int>(ReferenceEqualityComparer.Instance);
        var names = new HashSet<string>(StringComparer.Ordinal);
        int counter = 0;
        string NameOf(Node n)
        {
            string s = n.Name ?? (counter++).ToString(System.Globalization.CultureInfo.InvariantCulture);
            var b = s;
            for (int k = 1; !names.Add(s); k++) s = $"{b}_{k}";
            return s;
        }
        foreach (var n in g.Inputs.Concat(g.Nodes))
        {
            index[n] = nodes.Count;
            var op = n.Op is Weight w ? $"weight \"{w.Key}\"" : n.Op.Name;
            nodes.Add(new DumpNode(nodes.Count, NameOf(n), op, n.Type.ToString(), n.Type.Memory is null ? "none" : PlacementOf(n.Type.ToString()),
                [.. n.Inputs.Select(i => index[i])], null));
        }
        return new DumpView
        {
            Title = $"{g.Name} ({stage})",
            Nodes = nodes,
            Outputs = [.. g.Outputs.Select(o => index[o])],
            Facts = [$"stage: {stage}", $"values: {g.Nodes.Length}"],
        };
    }

    /// <summary>From a printed type: <c>…{tile,l1_height_sharded&lt;…&gt;}</c> → l1-sharded.</summary>
    private static string PlacementOf(string type)
    {
        int brace = type.IndexOf('{');
        var parts = brace < 0 ? [] : type[(brace + 1)..^1].Split(',');
        var mem = parts.FirstOrDefault(p => p.StartsWith("l1", StringComparison.Ordinal) || p.StartsWith("dram", StringComparison.Ordinal));
        return mem switch
        {
            null => "host",
            "dram" => "dram",
            "l1" => "l1",
            _ when mem.StartsWith("l1", StringComparison.Ordinal) => "l1-sharded",
            _ => "dram",
        };
    }
}
