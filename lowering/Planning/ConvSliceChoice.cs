using VoxTile.IR;
using VoxTile.IR.Ops.Graph;
using VoxTile.IR.Ops.Ttnn;
using VoxTile.Lowering.Costs;
using VoxTile.Lowering.Targets;

namespace VoxTile.Lowering.Planning;

/// <summary>
/// Chooses, for each conv the planner cannot run whole and that both TTNN's DRAM slicing and explicit time slicing
/// can cut, the one whose region models cheaper, within <see cref="PlannerOptions.OpBudget"/>:
/// <list type="bullet">
/// <item><b>Through DRAM</b> (one step): the conv's own cost with its input and output in DRAM, plus the op-to-op gap of
/// its <see cref="HostRates.DramSlicePrograms"/> programs per slice; plus what its neighbours pay for DRAM: the producer
/// of its input writes DRAM instead of L1 (and that input's other readers read DRAM), and every reader of its output
/// reads DRAM. A neighbour that is itself a conv sliced through DRAM pays nothing more.</item>
/// <item><b>Explicit</b>: per slice a <c>ttnn.slice</c> of the input and the conv, both in L1, and the concats that join
/// them (written to DRAM only where a reader needs DRAM), each with its op-to-op gap.</item>
/// </list>
/// Costs are <see cref="CostModel"/>'s with the operands of unknown placement in L1 interleaved: the walk may shard or
/// spill them later, which this estimate does not foresee. Explicit slices add ops (2 per slice plus the concats, for
/// one); the choice takes the largest saving per added op first and re-prices the rest after each (a neighbour chosen
/// explicit no longer writes DRAM), while the plan stays within the budget.
/// </summary>
internal sealed class ConvSliceChoice(PlacementRules rules, TimeSlicer slicer)
{
    private readonly TargetSpec _target = rules.Target;
    private readonly double _gap = rules.Target.IsTenstorrent ? HostRates.OpToOpGapSeconds(rules.Target) : 0;
    private readonly HashSet<PlanValue> _dramSide = new(ReferenceEqualityComparer.Instance);

    /// <summary>One conv's decision: cut explicitly or not, and the modeled costs that decided it.</summary>
    public sealed record Decision(bool Explicitly, double DramSeconds, double ExplicitSeconds, int AddedOps, string Why);

    /// <summary>
    /// Decides every value of <paramref name="alternatives"/> (those with one way only take it); <paramref name="ops"/>
    /// is the op count of the graph before slicing.
    /// </summary>
    public Dictionary<PlanValue, Decision> Decide(IReadOnlyList<TimeSlicer.Alternatives> alternatives, int ops)
    {
        var decisions = new Dictionary<PlanValue, Decision>(ReferenceEqualityComparer.Instance);
        int max = rules.Options.MaxConcatInputs;
        foreach (var a in alternatives)
        {
            if (a.DramSlices is not null) _dramSide.Add(a.Value);
            else ops += a.ExplicitOps(max) - 1;
        }
        ops += alternatives.Sum(DramViews);
        var open = alternatives.Where(a => a.Both).ToList();
        // Prices stay valid until a neighbour changes side: re-price only the candidates near the one just chosen.
        var prices = new Dictionary<PlanValue, (double Dram, double Explicit)>(ReferenceEqualityComparer.Instance);
        (double Dram, double Explicit) Price(TimeSlicer.Alternatives a)
        {
            if (!prices.TryGetValue(a.Value, out var p)) prices[a.Value] = p = (DramSeconds(a), ExplicitSeconds(a));
            return p;
        }
        while (open.Count > 0)
        {
            TimeSlicer.Alternatives? best = null;
            double bestRatio = 0;
            foreach (var a in open)
            {
                var (d, e) = Price(a);
                int added = Math.Max(1, a.ExplicitOps(max) - 1 - DramViews(a));
                if (d <= e || ops + added > rules.Options.OpBudget) continue;
                if ((d - e) / added > bestRatio) (best, bestRatio) = (a, (d - e) / added);
            }
            if (best is null) break;
            var (bd, be) = Price(best);
            int add = Math.Max(1, best.ExplicitOps(max) - 1 - DramViews(best));
            decisions[best.Value] = new Decision(true, bd, be, add,
                $"explicit slices model {Ms(be)} for the region against {Ms(bd)} sliced by TTNN through DRAM, for {add} more ops");
            _dramSide.Remove(best.Value);
            open.Remove(best);
            ops += add;
            var near = Near(best.Value);
            foreach (var a in open)
                if (Near(a.Value).Overlaps(near)) prices.Remove(a.Value);
        }
        foreach (var a in open)
        {
            double d = DramSeconds(a), e = ExplicitSeconds(a);
            int add = Math.Max(1, a.ExplicitOps(max) - 1 - DramViews(a));
            string why = e < d
                ? $"explicit slices would model {Ms(e)} for the region against {Ms(d)}, but their {add} more ops would take the plan past its budget of {rules.Options.OpBudget}"
                : $"explicit slices would model {Ms(e)} for the region against {Ms(d)}";
            decisions[a.Value] = new Decision(false, d, e, add, why);
        }
        return decisions;
    }

    /// <summary>The view the program adds before the conv when TTNN slices it (<see cref="DramConvSlicer.EmittedViews"/>).</summary>
    private static int DramViews(TimeSlicer.Alternatives a) =>
        a.DramSlices is { } n ? DramConvSlicer.EmittedViews(DramConvSlicer.Sliced(a.Value.Op, n), a.Value.Inputs[0].Type) : 0;

    /// <summary>The values whose side a conv's prices read: its input and that input's producer and readers, its readers and their operands.</summary>
    private static HashSet<PlanValue> Near(PlanValue v)
    {
        var near = new HashSet<PlanValue>(ReferenceEqualityComparer.Instance) { v };
        var x = v.Inputs[0];
        near.Add(x);
        near.UnionWith(x.Inputs);
        foreach (var (c, _) in x.Consumers) near.Add(c);
        foreach (var (c, _) in v.Consumers)
        {
            near.Add(c);
            near.UnionWith(c.Inputs);
        }
        return near;
    }

    /// <summary>The region's modeled time with the conv sliced by TTNN through DRAM.</summary>
    public double DramSeconds(TimeSlicer.Alternatives a)
    {
        var v = a.Value;
        int n = a.DramSlices!.Value;
        var x = v.Inputs[0];
        double seconds = Seconds(DramConvSlicer.Sliced(v.Op, n), [Dram(x.Type), .. v.Inputs.Skip(1).Select(Placed)], Dram(v.Type))
            + _gap * HostRates.Programs(v.Op.Name, n);
        if (!DramAnyway(x))
        {
            seconds += WriteDelta(x);
            foreach (var (c, k) in x.Consumers)
                if (!ReferenceEquals(c, v)) seconds += ReadDelta(c, k, x.Type);
        }
        foreach (var (c, k) in v.Consumers) seconds += ReadDelta(c, k, v.Type);
        return seconds;
    }

    /// <summary>The region's modeled time with the conv cut into explicit slices in L1.</summary>
    public double ExplicitSeconds(TimeSlicer.Alternatives a)
    {
        var v = a.Value;
        var x = v.Inputs[0];
        var xt = DramAnyway(x) ? Dram(x.Type) : L1(x.Type);
        double seconds = 0;
        var parts = new List<TensorType>();
        foreach (var (slice, piece) in slicer.ExplicitPieces(a))
        {
            seconds += Seconds(slice.Op, [xt], L1(slice.Type)) + _gap;
            seconds += Seconds(piece.Op, [L1(slice.Type), .. v.Inputs.Skip(1).Select(Placed)], L1(piece.Type)) + _gap * HostRates.Programs(v.Op.Name);
            parts.Add(L1(piece.Type));
        }
        // The concat tree moves the whole result once per level.
        bool toDram = v.IsOutput || v.Consumers.Any(c => _dramSide.Contains(c.Consumer));
        int max = rules.Options.MaxConcatInputs, concats = TimeSlicer.Alternatives.Concats(parts.Count, max), levels = 1;
        for (int p = parts.Count; p > max; p = (p + max - 1) / max) levels++;
        var joined = toDram ? Dram(v.Type) : L1(v.Type);
        seconds += levels * Seconds(new Concat { Dim = a.Explicit!.Cut.OutputAxis }, parts, joined) + _gap * concats;
        return seconds;
    }

    /// <summary>A value that is in DRAM whichever way the conv reading it is sliced: a leaf there, or a conv sliced through DRAM.</summary>
    private bool DramAnyway(PlanValue x) =>
        x.IsLeaf ? x.Type.Memory is { Buffer: BufferType.Dram } : _dramSide.Contains(x);

    /// <summary>An operand as a neighbour's cost sees it: leaves where they are, DRAM-sliced convs' results in DRAM, the rest in L1.</summary>
    private TensorType Placed(PlanValue i) => i.IsLeaf ? i.Type : _dramSide.Contains(i) ? Dram(i.Type) : L1(i.Type);

    /// <summary>What <paramref name="x"/>'s producer pays to write DRAM rather than L1.</summary>
    private double WriteDelta(PlanValue x)
    {
        if (x.Op is not ITtnnOp || x.Kind != ValueKind.Op) return 0;
        var ins = x.Inputs.Select(Placed).ToList();
        return Seconds(x.Op, ins, Dram(x.Type)) - Seconds(x.Op, ins, L1(x.Type));
    }

    /// <summary>What reader <paramref name="c"/> pays to read its operand <paramref name="k"/> from DRAM rather than L1.</summary>
    private double ReadDelta(PlanValue c, int k, TensorType t)
    {
        if (c.Op is not ITtnnOp || c.Kind != ValueKind.Op || _dramSide.Contains(c)) return 0;
        var ins = c.Inputs.Select(Placed).ToList();
        var output = c.IsOutput ? Dram(c.Type) : L1(c.Type);
        ins[k] = Dram(t);
        double dram = Seconds(c.Op, ins, output);
        ins[k] = L1(t);
        return dram - Seconds(c.Op, ins, output);
    }

    private double Seconds(Op op, IReadOnlyList<TensorType> inputs, TensorType output)
    {
        var operands = inputs.Select((t, i) => Input.Create($"operand{i}", t)).ToList();
        return CostModel.Of(Node.CreateTyped(op, operands, output), _target).Seconds;
    }

    private static TensorType Dram(TensorType t) => t with { Memory = MemoryConfig.DramInterleaved };

    private static TensorType L1(TensorType t) => t with { Memory = MemoryConfig.L1Interleaved };

    private static string Ms(double s) => $"{s * 1e3:0.000} ms";

    /// <summary>A whole memory plan's modeled time run traced: every step's cost plus the op-to-op gap of its device programs.</summary>
    public static double TracedSeconds(MemoryPlan plan)
    {
        double gap = plan.Target.IsTenstorrent ? HostRates.OpToOpGapSeconds(plan.Target) : 0, seconds = 0;
        foreach (var s in plan.Steps.Where(s => s.Kind != StepKind.Deallocate))
        {
            int slices = s.Node.Op is Conv1d { IsDramSliced: true } c ? c.NumSlices : 0;
            if (ReshapeViews.IsView(s.Node)) continue; // no program
            seconds += CostModel.Of(s.Node, plan.Target).Seconds + gap * HostRates.Programs(s.Node.Op.Name, slices);
        }
        return seconds;
    }
}
