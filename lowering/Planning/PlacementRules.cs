using VoxTile.IR;
using VoxTile.IR.Ops.Ttnn;
using VoxTile.Lowering.Targets;

namespace VoxTile.Lowering.Planning;

/// <summary>
/// Which placements an op may write and its consumers may read, and whether an op fits in L1 on its own. Facts
/// come from the ops' <see cref="ITtnnOp.OperandRequirements"/> plus TTNN's sharding rules (spec §5): sharded
/// eltwise operands share the output's shard spec, a concat along the last dim takes height-sharded inputs
/// (block is not supported), convs take height-sharded inputs.
/// </summary>
internal sealed class PlacementRules(TargetSpec target, PlannerOptions options)
{
    private readonly Dictionary<TensorType, IReadOnlyList<MemoryConfig>> _shardings = [];
    private readonly Dictionary<(PlanValue, MemoryConfig), bool> _feasible = [];

    public TargetSpec Target { get; } = target;
    public PlannerOptions Options { get; } = options;
    public long Budget { get; } = target.L1BudgetPerCore;

    public long PerCore(TensorType t, MemoryConfig? m) => TensorFootprint.PerCoreBytes(t, m, Target);

    /// <summary>Whether the tensor may live in L1 at all: its pages stream through CBs of bounded size and it fits alone.</summary>
    public bool L1Eligible(TensorType t) =>
        TensorFootprint.PageBytes(t) <= Options.SpillReserve / 4 && PerCore(t, MemoryConfig.L1Interleaved) <= Budget - Options.SpillReserve;

    /// <summary>Whether consumer <paramref name="c"/> reads <paramref name="v"/> (its operand <paramref name="operand"/>) placed at <paramref name="m"/>.</summary>
    public bool Accepts(PlanValue c, int operand, PlanValue v, MemoryConfig? m)
    {
        if (c.Kind == ValueKind.HostOp) return m is { Buffer: BufferType.Dram };
        if (c.Op is not ITtnnOp t) return true;
        var req = t.RequirementOf(operand);
        if (req.OnHost) return m is null;
        if (m is null) return false;
        // A conv that TTNN slices through DRAM reads its input from DRAM, a slice at a time.
        if (operand == 0 && ConvSlicing.IsDramSliced(c.Op)) return m is { Buffer: BufferType.Dram, Layout: TensorMemoryLayout.Interleaved };
        if (m.Layout == TensorMemoryLayout.Interleaved) return true;
        // A reshape that keeps the bytes is a view of its operand wherever that sits, shards included (ReshapeViews).
        if (c.Op is Reshape && Reshape.KeepsBytes(v.Type with { Memory = m }, c.Type)) return true;
        if (!req.AcceptsSharded) return false;
        return c.Op switch
        {
            TtnnBinaryOp or Where => v.Type.Shape.Equals(c.Type.Shape) && m == Shardings(c.Type)[0],
            Concat cc => m.Layout == TensorMemoryLayout.HeightSharded && (cc.Dim == -1 || cc.Dim == c.Type.Rank - 1),
            Conv1d or Conv2d or ConvTranspose2d => m.Layout == TensorMemoryLayout.HeightSharded,
            _ => true,
        };
    }

    /// <summary>Every consumer (and the graph's return, which wants DRAM) reads <paramref name="v"/> at <paramref name="m"/>.</summary>
    public bool AcceptedByAll(PlanValue v, MemoryConfig? m) =>
        (!v.IsOutput || m is { Buffer: BufferType.Dram, Layout: TensorMemoryLayout.Interleaved })
        && v.Consumers.All(c => Accepts(c.Consumer, c.Operand, v, m));

    /// <summary>
    /// Why not <paramref name="m"/>: the first reader that does not take <paramref name="v"/> there (formatted when
    /// read, so that it names the reader as the dump does), or null when every reader does.
    /// </summary>
    public Func<string>? Refusal(PlanValue v, MemoryConfig? m)
    {
        if (v.IsOutput && m is not { Buffer: BufferType.Dram }) return () => "it is a graph output (DRAM)";
        foreach (var (c, i) in v.Consumers)
        {
            if (Accepts(c, i, v, m)) continue;
            bool sharded = m?.Shard is not null;
            return c.Kind == ValueKind.HostOp ? () => $"host op {c} reads it from DRAM" : () => $"{c} needs it {(sharded ? "interleaved" : "elsewhere")}";
        }
        return null;
    }

    /// <summary>The tensor's shardings, canonical first (<see cref="TensorFootprint.Shardings"/>), computed once per type.</summary>
    public IReadOnlyList<MemoryConfig> Shardings(TensorType t)
    {
        var key = t with { Memory = null };
        if (!_shardings.TryGetValue(key, out var s)) _shardings[key] = s = TensorFootprint.Shardings(key, Target);
        return s;
    }

    /// <summary>Whether the op can write its result as shards (it takes its first operand sharded).</summary>
    public static bool WritesShards(PlanValue v) =>
        v.Kind == ValueKind.Op && v.Op is ITtnnOp t && t.OperandRequirements.Count > 0 && t.RequirementOf(0).AcceptsSharded;

    /// <summary>What the producer could write, best first: shardings (canonical first), L1 interleaved, DRAM (only DRAM for a host op).</summary>
    public IEnumerable<MemoryConfig> ProducerOptions(PlanValue v)
    {
        // A conv that TTNN slices through DRAM writes each slice's output back to DRAM.
        if (v.Kind == ValueKind.Op && L1Eligible(v.Type) && !ConvSlicing.IsDramSliced(v.Op))
        {
            if (WritesShards(v))
                foreach (var s in Shardings(v.Type))
                    if (PerCore(v.Type, s) <= Budget - Options.SpillReserve) yield return s;
            yield return MemoryConfig.L1Interleaved;
        }
        yield return MemoryConfig.DramInterleaved;
    }

    /// <summary>Circular-buffer bytes per core while the op runs with these operand and result placements.</summary>
    public static long WorkingSet(PlanValue v, IReadOnlyList<TensorType> inputs, TensorType output) =>
        v.Kind == ValueKind.Op && v.Op is ITtnnOp t ? t.WorkingSetBytes(inputs, output) : 0;

    /// <summary>The operand types when every operand sits in DRAM (host weights stay on the host): the planner's fallback.</summary>
    public static IReadOnlyList<TensorType> DramOperands(PlanValue v) =>
        [.. v.Inputs.Select(i => i.Type with { Memory = i.Kind == ValueKind.HostWeight ? null : MemoryConfig.DramInterleaved })];

    /// <summary>L1 per core the op needs with nothing else live, its operands in DRAM and its result at <paramref name="m"/>.</summary>
    public long Alone(PlanValue v, MemoryConfig m) =>
        WorkingSet(v, DramOperands(v), v.Type with { Memory = m }) + PerCore(v.Type, m);

    /// <summary>Whether the op fits at <paramref name="m"/> with every other tensor spilled (tensors stay above the spill reserve).</summary>
    public bool Feasible(PlanValue v, MemoryConfig m)
    {
        if (v.Id >= 0 && _feasible.TryGetValue((v, m), out var f)) return f;
        long own = PerCore(v.Type, m);
        f = own <= Budget - Options.SpillReserve && WorkingSet(v, DramOperands(v), v.Type with { Memory = m }) <= Budget - own;
        if (v.Id >= 0) _feasible[(v, m)] = f;
        return f;
    }

    /// <summary>Whether the op fits with room to spare (at most <see cref="PlannerOptions.SliceThreshold"/> of the budget) somewhere.</summary>
    public bool Comfortable(PlanValue v) => ProducerOptions(v).Any(m => Alone(v, m) <= Options.SliceThreshold * Budget);

    /// <summary>The least L1 the op needs alone, over the placements it could write.</summary>
    public long LeastAlone(PlanValue v) => ProducerOptions(v).Min(m => Alone(v, m));
}
