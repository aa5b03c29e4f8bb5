using VoxTile.IR;
using VoxTile.IR.Ops.Graph;
using VoxTile.Lowering.Plan;

namespace VoxTile.Cli.Dump;

/// <summary>
/// A graph or a device plan reduced to what the dump views draw: values with their placements, operands and model
/// modules, and, for a plan, L1 in use per core at every step.
/// </summary>
internal sealed class DumpView
{
    public required string Title { get; init; }
    public required IReadOnlyList<DumpNode> Nodes { get; init; }
    public required IReadOnlyList<int> Outputs { get; init; }

    /// <summary>Per step: its op (or ttnn.deallocate) and L1 in use per core; empty before planning.</summary>
    public IReadOnlyList<(string Op, long L1)> Timeline { get; init; } = [];

    /// <summary>Per node id: the plan step that computes it (its point on the L1 chart); empty before planning.</summary>
    public IReadOnlyDictionary<int, int> StepOf { get; init; } = new Dictionary<int, int>();

    public long L1Budget { get; init; }
    public IReadOnlyList<string> Facts { get; init; } = [];

    /// <summary>What <see cref="Select"/> kept ("module dec.ups.0: 41 of 1,514 ops"); null for the whole graph.</summary>
    public string? Selection { get; init; }

    public static DumpView Of(DevicePlan plan)
    {
        var nodes = new List<DumpNode>();
        var index = new Dictionary<int, int>();
        var stepOf = new Dictionary<int, int>();
        var modules = new List<string?>();
        int ops = 0;
        void Add(PlanTensor t, string op, IReadOnlyList<int> inputs, int? step)
        {
            index[t.Id] = nodes.Count;
            var ins = inputs.Select(i => index[i]).ToList();
            bool isOp = step is not null;
            var module = t.Kind == PlanTensorKind.Weight ? ModulePath.OfWeight(t.Key ?? t.Name) : isOp ? ModuleOfOp(ins, nodes) : null;
            // A weight without a memory config is a conv weight TTNN takes row-major on the host and prepares on the first
            // call: its own colour, not that of a host op (the summary's host ops stay 0).
            var placement = t.Kind == PlanTensorKind.Weight && !HasMemory(t.Type) ? "host-weight" : PlacementOf(t.Type);
            var why = t.Why;
            if (step is { } s) stepOf[nodes.Count] = s;
            nodes.Add(new DumpNode(nodes.Count, t.Name, op, t.Type, placement, ins, why, module, isOp ? ops++ : null));
        }
        foreach (var i in plan.Inputs) Add(plan.Tensor(i), plan.Tensor(i).Kind == PlanTensorKind.Noise ? "noise" : "input", [], null);
        for (int k = 0; k < plan.Steps.Count; k++)
        {
            var step = plan.Steps[k];
            if (step.IsDeallocate) continue;
            foreach (var i in step.Inputs)
                if (!index.ContainsKey(i)) Add(plan.Tensor(i), "weight", [], null);
            Add(plan.Tensor(step.Output), step.Op, step.Inputs, k);
        }
        var sum = plan.Summary;
        return new DumpView
        {
            Title = $"{plan.Graph} on {plan.Target}",
            Nodes = nodes,
            Outputs = [.. plan.Outputs.Select(o => index[o])],
            Timeline = [.. plan.Steps.Select(s => (s.Op, s.L1BytesPerCore))],
            StepOf = stepOf,
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
        var names = new VoxTile.IR.Text.ValueNames();
        int ops = 0;
        foreach (var n in g.Inputs.Concat(g.Nodes))
        {
            var ins = n.Inputs.Select(i => index[i]).ToList();
            bool isInput = index.Count < g.Inputs.Length;
            var (op, module) = n.Op is Weight w ? ($"weight \"{w.Key}\"", ModulePath.OfWeight(w.Key))
                : isInput ? ("input", null) : (n.Op.Name, ModuleOfOp(ins, nodes));
            index[n] = nodes.Count;
            nodes.Add(new DumpNode(nodes.Count, names.Of(n), op, n.Type.ToString(), n.Type.Memory is null ? "none" : PlacementOf(n.Type.ToString()),
                ins, null, module, n.Op is Weight || isInput ? null : ops++));
        }
        return new DumpView
        {
            Title = $"{g.Name} ({stage})",
            Nodes = nodes,
            Outputs = [.. g.Outputs.Select(o => index[o])],
            Facts = [$"stage: {stage}", $"values: {g.Nodes.Length}"],
        };
    }

    /// <summary>The module of an op with operands <paramref name="inputs"/>: its first weight's, else its latest-defined operand's that has one.</summary>
    private static string? ModuleOfOp(IReadOnlyList<int> inputs, IReadOnlyList<DumpNode> nodes)
    {
        foreach (var i in inputs)
            if (!nodes[i].IsOp && nodes[i].Module is { } m) return m;
        foreach (var i in inputs.OrderDescending())
            if (nodes[i].Module is { } m) return m;
        return null;
    }

    /// <summary>
    /// The ops in <paramref name="module"/> (and what is inside it) whose numbers lie in [<paramref name="from"/>,
    /// <paramref name="to"/>), with the weights and inputs they read; values computed outside that they read come
    /// along marked <see cref="DumpNode.Outside"/>, so a view of one module still shows where its operands come from.
    /// </summary>
    public DumpView Select(string? module, int from, int to)
    {
        var opCount = Nodes.Count(n => n.IsOp);
        var keep = Nodes.Where(n => n.IsOp && n.OpNumber >= from && n.OpNumber < to && (module is null || ModulePath.IsIn(n.Module, module)))
            .Select(n => n.Id).ToHashSet();
        var outside = new HashSet<int>();
        foreach (var id in keep.ToList())
            foreach (var i in Nodes[id].Inputs)
                if (!Nodes[i].IsOp) keep.Add(i);
                else if (!keep.Contains(i)) outside.Add(i);
        var ids = Nodes.Where(n => keep.Contains(n.Id) || outside.Contains(n.Id)).Select(n => n.Id).ToList();
        var renumber = ids.Select((id, k) => (id, k)).ToDictionary(p => p.id, p => p.k);
        var nodes = ids.Select(id =>
        {
            var n = Nodes[id];
            return n with
            {
                Id = renumber[id],
                Inputs = outside.Contains(id) ? [] : [.. n.Inputs.Select(i => renumber[i])],
                Outside = outside.Contains(id),
            };
        }).ToList();
        int kept = nodes.Count(n => n.IsOp && !n.Outside);
        string what = string.Join(", ", new[] { module is null ? null : $"module {module}", from > 0 || to < int.MaxValue ? $"ops {from}:{(to == int.MaxValue ? "" : to)}" : null }.OfType<string>());
        return new DumpView
        {
            Title = $"{Title}, {what}",
            Nodes = nodes,
            Outputs = [.. Outputs.Where(renumber.ContainsKey).Select(o => renumber[o])],
            Timeline = Timeline,
            StepOf = StepOf.Where(s => renumber.ContainsKey(s.Key)).ToDictionary(s => renumber[s.Key], s => s.Value),
            L1Budget = L1Budget,
            Facts = Facts,
            Selection = $"{what}: {kept:N0} of {opCount:N0} ops",
        };
    }

    private static bool HasMemory(string type) => PlacementOf(type) != "host";

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
