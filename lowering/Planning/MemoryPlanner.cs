using VoxTile.IR;
using VoxTile.IR.Ops.Graph;
using VoxTile.IR.Ops.Random;
using VoxTile.IR.Ops.Ttnn;
using VoxTile.Lowering.Rules.Legalize;
using VoxTile.Lowering.Targets;

namespace VoxTile.Lowering.Planning;

/// <summary>
/// Places every value of a ttnn graph in L1 (sharded or interleaved) or DRAM and schedules the graph, in the two
/// greedy steps of tt-mlir's optimizer (spec §2.2):
/// <list type="number">
/// <item><b>Shape the graph.</b> An op that needs more than half the L1 budget on its own, or that hits a known
/// TTNN defect, is sliced along time (<see cref="TimeSlicer"/>). Where a producer only fits writing shards that a
/// consumer cannot read, a <c>ttnn.to_memory_config</c> (a reshard) goes between them.</item>
/// <item><b>Walk the schedule</b> (the graph's depth-first order) with a simulated top-down first-fit L1
/// allocator (<see cref="L1Allocator"/>). Each result takes the best placement its producer and consumers allow
/// (sharded, then L1 interleaved, then DRAM) that fits beside the live tensors together with the op's circular
/// buffers (<see cref="ITtnnOp.WorkingSetBytes"/>). When it does not fit, the live tensor whose next use is
/// farthest is spilled to DRAM (a <c>ttnn.to_memory_config</c>; later readers read the DRAM copy), unless the new
/// result itself is the one used farthest, which then goes to DRAM directly. Every device tensor is deallocated
/// after its last use; graph inputs, weights and outputs are not.</item>
/// </list>
/// The result is a new graph (nodes are never changed in place) whose types carry layouts and memory configs, and
/// the schedule beside it (<see cref="MemoryPlan"/>).
/// </summary>
public static class MemoryPlanner
{
    public static MemoryPlan Plan(Graph graph, TargetSpec target, PlannerOptions? options = null)
    {
        options ??= PlannerOptions.Default;
        var plan = new Planner(graph, target, options).Run();
        // The choice of explicit slices counts the graph's ops; the walk's spills and reshards come after it. Where they
        // take the plan past the op budget, choose again with that much less to spend.
        for (int tries = 0; tries < 3 && plan.ExplicitByChoice > 0 && plan.Ops > options.OpBudget; tries++)
        {
            var fewer = options with { OpBudget = Math.Max(0, options.OpBudget - (plan.Ops - options.OpBudget) * (tries + 1)) };
            plan = new Planner(graph, target, fewer).Run();
        }
        // The choice prices each region before the walk shards, reshards and spills; the whole plan is what runs. Where
        // the plan of DRAM slicing alone models faster as a whole, it is the one kept (it has the fewest ops too); so it is
        // where the tries above still end past the budget (the choice does not foresee the reshards its slices need).
        if (plan.ExplicitByChoice > 0 && target.IsTenstorrent)
        {
            var dramOnly = new Planner(graph, target, options with { OpBudget = 0 }).Run();
            if (ConvSliceChoice.TracedSeconds(dramOnly) < ConvSliceChoice.TracedSeconds(plan) || (plan.Ops > options.OpBudget && dramOnly.Ops < plan.Ops))
                plan = dramOnly;
        }
        return plan;
    }

    private sealed class Planner(Graph graph, TargetSpec target, PlannerOptions options)
    {
        private readonly PlacementRules _rules = new(target, options);
        private readonly List<PlanValue> _values = [];
        private readonly List<PlanValue> _inputs = [];
        private List<PlanValue> _outputs = [];
        private readonly List<PlanValue> _schedule = [];
        private readonly List<string> _workarounds = [];
        private int _sliced, _reshards, _explicitByChoice;

        public MemoryPlan Run()
        {
            Import();
            ComputeConsumers();
            ChooseLayouts();
            if (options.ShrinkConvActBlocks) ShrinkConvActBlocks();
            Slice();
            ComputeConsumers();
            InsertReshards();
            ComputeConsumers();
            Order();
            Name();
            ChoosePreferences();
            var sim = new Simulation(_rules, _schedule, () => _values.Count, v => _values.Add(v));
            sim.Run();
            return Build(sim);
        }

        private PlanValue Make(Op op, IReadOnlyList<PlanValue> inputs, Layout? layout, string? name, bool retargetable = false)
        {
            var r = op.InferType([.. inputs.Select(i => i.Type)]);
            if (!r.Ok) throw new InvalidOperationException($"plan-memory made an ill-typed {op.Name}: {r.Error}");
            var v = new PlanValue(_values.Count, ValueKind.Op, op, r.Type! with { Layout = layout }, name) { Retargetable = retargetable };
            v.Inputs.AddRange(inputs);
            _values.Add(v);
            return v;
        }

        // ---- import -------------------------------------------------------------------------------------------

        private void Import()
        {
            var of = new Dictionary<Node, PlanValue>(ReferenceEqualityComparer.Instance);
            var names = new HashSet<string>(graph.Inputs.Select(i => i.Name!), StringComparer.Ordinal);
            foreach (var i in graph.Inputs)
            {
                // legalize-ttnn turns nn.randn_like into an input that carries its seed; a graph not legalized may still hold the op (below).
                var seed = RandnInputs.SeedOf(i);
                var v = new PlanValue(_values.Count, seed is null ? ValueKind.Input : ValueKind.Noise, i.Op, i.Type, i.Name) { Seed = seed ?? 0 };
                _values.Add(v);
                _inputs.Add(v);
                of[i] = v;
            }
            // Host weights: only where every reader wants the operand on the host (conv weights and biases).
            var hostOnly = new Dictionary<Node, bool>(ReferenceEqualityComparer.Instance);
            foreach (var n in graph.Nodes)
                for (int k = 0; k < n.Inputs.Length; k++)
                {
                    bool host = n.Op is ITtnnOp t && t.RequirementOf(k).OnHost;
                    hostOnly[n.Inputs[k]] = hostOnly.TryGetValue(n.Inputs[k], out var h) ? h && host : host;
                }
            foreach (var n in graph.Nodes)
            {
                PlanValue v;
                if (n.Op is Weight)
                    v = new PlanValue(_values.Count, hostOnly.GetValueOrDefault(n) ? ValueKind.HostWeight : ValueKind.Weight, n.Op, n.Type, n.Name);
                else if (n.Op is RandnLike r)
                {
                    var name = n.Name ?? "noise";
                    for (int k = 1; !names.Add(name); k++) name = $"{n.Name ?? "noise"}_{k}";
                    v = new PlanValue(_values.Count, ValueKind.Noise, n.Op, n.Type, name) { Seed = r.Seed };
                    _inputs.Add(v);
                }
                else
                {
                    v = new PlanValue(_values.Count, n.Op is ITtnnOp ? ValueKind.Op : ValueKind.HostOp, n.Op, n.Type, n.Name);
                    v.Inputs.AddRange(n.Inputs.Select(i => of[i]));
                }
                _values.Add(v);
                of[n] = v;
            }
            _outputs = [.. graph.Outputs.Select(o => of[o])];
            foreach (var o in _outputs) o.IsOutput = true;
        }

        private IEnumerable<PlanValue> Reachable()
        {
            var seen = new HashSet<PlanValue>(ReferenceEqualityComparer.Instance);
            var stack = new Stack<PlanValue>(_outputs);
            while (stack.Count > 0)
            {
                var v = stack.Pop();
                if (!seen.Add(v)) continue;
                yield return v;
                foreach (var i in v.Inputs) stack.Push(i);
            }
        }

        private void ComputeConsumers()
        {
            foreach (var v in _values) v.Consumers.Clear();
            foreach (var v in Reachable())
                for (int k = 0; k < v.Inputs.Count; k++) v.Inputs[k].Consumers.Add((v, k));
        }

        // ---- layouts ------------------------------------------------------------------------------------------

        /// <summary>
        /// Layouts are legalization's to choose; the planner only fills in those left open: a reshape's is its operand's
        /// (ttnn.reshape converts no layout), else ROW_MAJOR where the readers ask for it and none asks for TILE, TILE otherwise (block floats are TILE-only; host weights
        /// stay ROW_MAJOR). Placements of leaves are fixed here: inputs and device weights in DRAM, host weights
        /// on the host.
        /// </summary>
        private void ChooseLayouts()
        {
            foreach (var v in _values)
            {
                if (v.Type.Layout is null)
                {
                    Layout layout;
                    if (v.Kind == ValueKind.HostWeight) layout = Layout.RowMajor;
                    else if (v.Type.DType.IsBlockFloat()) layout = Layout.Tile;
                    else if (v.Op is Reshape && v.Inputs.Count == 1 && v.Inputs[0].Type.Layout is { } own) layout = own; // ttnn.reshape keeps its operand's layout
                    else
                    {
                        var wants = v.Consumers.Select(c => c.Consumer.Op is ITtnnOp t ? t.RequirementOf(c.Operand).Layout : LayoutRequirement.Any).ToList();
                        bool rowMajor = wants.Contains(LayoutRequirement.RowMajor) && !wants.Contains(LayoutRequirement.Tile);
                        bool host = v.Consumers.Count > 0 && v.Consumers.All(c => c.Consumer.Kind == ValueKind.HostOp);
                        layout = rowMajor || host ? Layout.RowMajor : Layout.Tile;
                    }
                    v.Type = v.Type with { Layout = layout };
                }
                switch (v.Kind)
                {
                    case ValueKind.Input:
                        v.Type = v.Type with { Memory = MemoryConfig.DramInterleaved };
                        v.Notes.Add(() => "graph input: DRAM interleaved, written by the host before the run");
                        break;
                    case ValueKind.Noise:
                        v.Type = v.Type with { Memory = MemoryConfig.DramInterleaved };
                        v.Notes.Add(() => $"posterior noise: a plan input the runtime draws (seed {v.Seed}) and writes to DRAM before the run");
                        break;
                    case ValueKind.Weight:
                        v.Type = v.Type with { Memory = MemoryConfig.DramInterleaved };
                        v.Notes.Add(() => "weight: DRAM interleaved, resident across runs (L1 is kept for activations)");
                        break;
                    case ValueKind.HostWeight:
                        v.Type = v.Type with { Memory = null };
                        v.Notes.Add(() => "conv weight: stays on the host; TTNN prepares it on the first call");
                        break;
                }
            }
        }

        // ---- slicing and reshards -----------------------------------------------------------------------------

        /// <summary>Convs that a shorter act block lets run whole in L1 get it before the slicer looks (<see cref="ConvActBlocks"/>).</summary>
        private void ShrinkConvActBlocks()
        {
            foreach (var v in Topological()) ConvActBlocks.Shrink(v, _rules);
        }

        private void Slice()
        {
            var slicer = new TimeSlicer(_rules, (op, ins, layout, name) => Make(op, ins, layout, name));
            var order = Topological();
            // Decide first (a conv both ways can cut takes the cheaper region within the op budget), then rebuild.
            var alternatives = order.Select(slicer.Consider).OfType<TimeSlicer.Alternatives>().ToList();
            var decisions = new ConvSliceChoice(_rules, slicer).Decide(alternatives, order.Count(v => !v.IsLeaf));
            var of = alternatives.ToDictionary(a => a.Value, a => a, (IEqualityComparer<PlanValue>)ReferenceEqualityComparer.Instance);
            var replaced = new Dictionary<PlanValue, PlanValue>(ReferenceEqualityComparer.Instance);
            PlanValue Resolve(PlanValue v) => replaced.TryGetValue(v, out var r) ? r : v;
            foreach (var v in order)
            {
                for (int k = 0; k < v.Inputs.Count; k++) v.Inputs[k] = Resolve(v.Inputs[k]);
                if (!of.TryGetValue(v, out var a)) continue;
                var d = decisions.GetValueOrDefault(v);
                var whole = slicer.Apply(a, explicitly: d?.Explicitly ?? a.DramSlices is null, _workarounds, d?.Why);
                if (d is { Explicitly: true }) _explicitByChoice++;
                whole.IsOutput = v.IsOutput;
                replaced[v] = whole;
                _sliced++;
            }
            _outputs = [.. _outputs.Select(Resolve)];
        }

        /// <summary>
        /// Where the producer fits only writing a placement some reader cannot take (shards a concat cannot read,
        /// a sharded graph output), those readers get a copy moved by a <c>ttnn.to_memory_config</c> whose target
        /// the walk chooses.
        /// </summary>
        private void InsertReshards()
        {
            foreach (var v in Topological())
            {
                if (v.Kind != ValueKind.Op || IsPinnedMove(v)) continue;
                var options = _rules.ProducerOptions(v).Where(m => _rules.Feasible(v, m)).ToList();
                if (options.Count == 0) throw NoFit(v);
                if (options.Any(m => _rules.AcceptedByAll(v, m))) continue;
                var best = options[0];
                var refusal = _rules.Refusal(v, best)!;
                var move = Make(new ToMemoryConfig { MemoryConfig = MemoryConfig.DramInterleaved.ToString() }, [v], v.Type.Layout,
                    v.Name is null ? null : v.Name + ".reshard", retargetable: true);
                move.Notes.Add(() => $"reshard of {v}: {refusal()}");
                var keep = new List<(PlanValue, int)>();
                foreach (var (c, k) in v.Consumers)
                {
                    if (_rules.Accepts(c, k, v, best)) { keep.Add((c, k)); continue; }
                    c.Inputs[k] = move;
                    move.Consumers.Add((c, k));
                }
                v.Consumers.Clear();
                v.Consumers.AddRange(keep);
                v.Consumers.Add((move, 0));
                if (v.IsOutput)
                {
                    v.IsOutput = false;
                    move.IsOutput = true;
                    _outputs = [.. _outputs.Select(o => ReferenceEquals(o, v) ? move : o)];
                }
                v.Notes.Add(() => $"written {best} for the op to fit, but {refusal()}: a reshard follows");
                _reshards++;
            }
        }

        private static bool IsPinnedMove(PlanValue v) => v.Op is ToMemoryConfig && !v.Retargetable;

        private VoxTileException NoFit(PlanValue v) => new(
            $"{v} needs {TensorFootprint.Describe(_rules.LeastAlone(v))} of L1 per core even alone, more than the {TensorFootprint.Describe(_rules.Budget)} budget of {target.Name}, and it cannot be sliced along time");

        /// <summary>Reachable values, each after its operands (depth-first post-order from the outputs, as <see cref="Graph"/> orders nodes).</summary>
        private List<PlanValue> Topological()
        {
            var order = new List<PlanValue>();
            var done = new HashSet<PlanValue>(ReferenceEqualityComparer.Instance);
            var stack = new Stack<(PlanValue V, int Next)>();
            foreach (var root in _outputs)
            {
                if (done.Contains(root)) continue;
                stack.Push((root, 0));
                while (stack.Count > 0)
                {
                    var (v, next) = stack.Pop();
                    if (next < v.Inputs.Count)
                    {
                        stack.Push((v, next + 1));
                        if (!done.Contains(v.Inputs[next])) stack.Push((v.Inputs[next], 0));
                        continue;
                    }
                    if (done.Add(v)) order.Add(v);
                }
            }
            return order;
        }

        // ---- schedule -----------------------------------------------------------------------------------------

        private void Order()
        {
            foreach (var v in Topological())
            {
                if (v.IsLeaf) continue;
                v.Position = _schedule.Count;
                _schedule.Add(v);
            }
            foreach (var v in _schedule)
                foreach (var i in v.Inputs.Distinct())
                    i.Uses.Add(v.Position);
        }

        /// <summary>
        /// Gives every value a unique name (weights their key, others <c>v1</c>, <c>v2</c>, … in schedule order) so
        /// that the reasons the planner writes name values as the dump prints them.
        /// </summary>
        private void Name()
        {
            var used = new HashSet<string>(StringComparer.Ordinal);
            var named = new HashSet<PlanValue>(ReferenceEqualityComparer.Instance);
            int counter = 0;
            void Give(PlanValue v)
            {
                string wanted = v.Name ?? (v.WeightOp is { } w && Node.IsValidName(w.Key) ? w.Key : null) ?? $"v{++counter}";
                var name = wanted;
                for (int k = 1; !used.Add(name); k++) name = $"{wanted}_{k}";
                v.Name = name;
                named.Add(v);
            }
            foreach (var v in _inputs) Give(v);
            foreach (var v in _schedule)
            {
                foreach (var i in v.Inputs)
                    if (i.Kind is ValueKind.Weight or ValueKind.HostWeight && !named.Contains(i)) Give(i);
                Give(v);
            }
        }

        private void ChoosePreferences()
        {
            foreach (var v in _schedule)
            {
                if (IsPinnedMove(v))
                {
                    v.Preferences.Add(((ToMemoryConfig)v.Op).Target);
                    continue;
                }
                foreach (var m in _rules.ProducerOptions(v))
                    if (_rules.Feasible(v, m) && _rules.AcceptedByAll(v, m)) v.Preferences.Add(m);
                if (v.Preferences.Count == 0)
                {
                    var feasible = _rules.ProducerOptions(v).Where(m => _rules.Feasible(v, m)).ToList();
                    if (feasible.Count == 0) throw NoFit(v);
                    throw new VoxTileException($"{v}: no placement suits it and its readers ({_rules.Refusal(v, feasible[0])?.Invoke()})");
                }
            }
        }

        // ---- the planned graph ----------------------------------------------------------------------------------

        private MemoryPlan Build(Simulation sim)
        {
            var node = new Dictionary<PlanValue, Node>(ReferenceEqualityComparer.Instance);
            var why = new Dictionary<Node, string>(ReferenceEqualityComparer.Instance);
            var kinds = new Dictionary<Node, ValueKind>(ReferenceEqualityComparer.Instance);
            Node Define(PlanValue v, Node n)
            {
                node[v] = n;
                why[n] = v.Why;
                kinds[n] = v.Kind;
                return n;
            }
            Node Of(PlanValue v)
            {
                if (node.TryGetValue(v, out var n)) return n;
                return v.Kind switch
                {
                    ValueKind.Weight or ValueKind.HostWeight => Define(v, Weight.Create(v.WeightOp!.Key, v.Type, v.WeightOp.Value, v.Name, v.WeightOp.Exact)),
                    _ => throw new InvalidOperationException($"{v} is read before the step that computes it"),
                };
            }
            var inputs = new List<Node>();
            foreach (var v in _inputs)
            {
                inputs.Add(Define(v, Input.Create(v.Name!, v.Type, v.Kind == ValueKind.Noise ? v.Seed : null)));
            }

            var steps = new List<ScheduledStep>();
            foreach (var s in sim.Steps)
            {
                Node n;
                if (s.Kind == StepKind.Deallocate) n = node[s.Value];
                else
                {
                    var op = s.Value.Op is ToMemoryConfig && (s.Value.Retargetable || s.Kind == StepKind.Spill)
                        ? new ToMemoryConfig { MemoryConfig = s.Value.Type.Memory!.ToString() }
                        : s.Value.Op;
                    var created = Node.Create(op, [.. s.Operands.Select(Of)], s.Value.Name);
                    n = Define(s.Value, created.WithType(s.Value.Type));
                }
                steps.Add(new ScheduledStep(s.Kind, n, s.Cb, s.InUse, s.Why));
            }
            var blocks = sim.Blocks.Select(b => new L1Block(node[b.Value], b.Address, b.Size, b.From, b.To)).ToList();
            var planned = Graph.Create(graph.Name, inputs, _outputs.Select(Of));
            return new MemoryPlan
            {
                Target = target,
                Graph = planned,
                Steps = steps,
                Why = why,
                Kinds = kinds,
                L1Blocks = blocks,
                Reshards = _reshards,
                SlicedOps = _sliced,
                ExplicitByChoice = _explicitByChoice,
                Workarounds = _workarounds,
            };
        }
    }
}
