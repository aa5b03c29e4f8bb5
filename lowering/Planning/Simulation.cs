using VoxTile.IR;
using VoxTile.IR.Ops.Ttnn;

namespace VoxTile.Lowering.Planning;

/// <summary>
/// The liveness walk of <see cref="MemoryPlanner"/>: runs the schedule against a simulated L1 allocator, places
/// each result, spills the live tensor used farthest ahead when an op does not fit, and frees each tensor after
/// its last use. It records the steps it takes and every L1 residency.
/// <para>
/// A reshape TTNN runs as a view (<see cref="ReshapeViews"/>) is placed where its operand is and allocates nothing:
/// it shares its operand's allocation, which stays until every tensor sharing it has been read for the last time
/// (each is still deallocated after its own last read, as TTNN frees a shared buffer at the last deallocation). A
/// reshape whose readers cannot take its operand's placement copies, to a placement of another kind (TTNN views any
/// that keeps the kind).
/// </para>
/// </summary>
internal sealed class Simulation(PlacementRules rules, IReadOnlyList<PlanValue> schedule, Func<int> nextId, Action<PlanValue> register)
{
    public sealed record Step(StepKind Kind, PlanValue Value, IReadOnlyList<PlanValue> Operands, long Cb, long InUse, string Why);

    public sealed record Block(PlanValue Value, long Address, long Size, int From, int To);

    private readonly L1Allocator _l1 = new(rules.Budget, rules.Options.SpillReserve);
    private readonly Dictionary<PlanValue, PlanValue> _copy = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<PlanValue, (long Address, long Size, int From)> _resident = new(ReferenceEqualityComparer.Instance);

    /// <summary>The value whose allocation a view shares (its operand's, transitively).</summary>
    private readonly Dictionary<PlanValue, PlanValue> _owner = new(ReferenceEqualityComparer.Instance);

    /// <summary>For an allocation some view shares: the tensors holding it that have reads left (the owner included while it has).</summary>
    private readonly Dictionary<PlanValue, HashSet<PlanValue>> _holders = new(ReferenceEqualityComparer.Instance);

    public List<Step> Steps { get; } = [];
    public List<Block> Blocks { get; } = [];

    public void Run()
    {
        for (int t = 0; t < schedule.Count; t++)
        {
            var v = schedule[t];
            Place(v, t);
            FreeDead(v, t);
        }
    }

    /// <summary>The version of a value that readers use now: its DRAM copy once it has been spilled.</summary>
    private PlanValue Current(PlanValue v) => _copy.TryGetValue(v, out var c) ? c : v;

    private PlanValue Owner(PlanValue v) => _owner.TryGetValue(v, out var o) ? o : v;

    /// <summary>The tensors holding <paramref name="owner"/>'s allocation that have reads left.</summary>
    private IReadOnlyCollection<PlanValue> Holders(PlanValue owner) => _holders.TryGetValue(owner, out var h) ? h : [owner];

    /// <summary>The next read of any tensor holding <paramref name="owner"/>'s allocation.</summary>
    private int NextUseOfAllocation(PlanValue owner, int t) => Holders(owner).Min(h => NextUse(h, t));

    private static int NextUse(PlanValue v, int t)
    {
        int i = v.Uses.BinarySearch(t);
        i = i < 0 ? ~i : i;
        return i < v.Uses.Count ? v.Uses[i] : int.MaxValue;
    }

    private static int FirstUseAfter(PlanValue v, int t) => NextUse(v, t + 1);

    private void Place(PlanValue v, int t)
    {
        var preferences = v.Preferences;
        if (v.Op is Reshape && v.Kind == ValueKind.Op && Current(v.Inputs[0]) is var operand && Reshape.KeepsBytes(operand.Type, v.Type)
            && operand.Type.Memory is { } at)
        {
            if (rules.AcceptedByAll(v, at))
            {
                CommitView(v, operand, at);
                return;
            }
            preferences = [.. preferences.Where(m => m is not null && !ReshapeViews.SameKind(m, at))];
            if (preferences.Count == 0)
                throw new InvalidOperationException($"plan-memory: {v} would be a view of {operand} ({Describe(operand.Type, at)}), which its readers do not take, and no placement of another kind suits them");
            v.Notes.Add(() => $"a copy, not a view: its readers do not take {operand}'s placement ({Describe(operand.Type, at)})");
        }
        string? fallback = null;
        for (int p = 0; p < preferences.Count; p++)
        {
            var m = preferences[p];
            bool later = p < preferences.Count - 1;
            bool l1 = m is { Buffer: BufferType.L1 };
            long size = rules.PerCore(v.Type, m);
            while (true)
            {
                var operands = v.Inputs.Select(Current).ToList();
                long cb = PlacementRules.WorkingSet(v, [.. operands.Select(o => o.Type)], v.Type with { Memory = m });
                long? address = l1 ? _l1.Allocate(v.Id, size) : null;
                if ((!l1 || address is not null) && cb <= _l1.Lowest)
                {
                    Commit(v, m, address, size, cb, operands, fallback);
                    return;
                }
                if (address is not null) _l1.Free(v.Id);
                var victim = Victims(v, t, address, cb).FirstOrDefault();
                if (victim is null)
                {
                    fallback ??= $"{Describe(v.Type, m)} did not fit beside its operands";
                    break;
                }
                if (l1 && later && FirstUseAfter(v, t) >= NextUseOfAllocation(victim, t))
                {
                    fallback = FirstUseAfter(v, t) == int.MaxValue
                        ? "L1 was full"
                        : $"L1 was full and its first reader, {schedule[FirstUseAfter(v, t)]}, comes no sooner than the next reader of every live tensor it would push out";
                    break;
                }
                Spill(victim, t, v);
            }
        }
        throw new InvalidOperationException($"plan-memory: no placement of {v} fits, although one fits alone");
    }

    /// <summary>A reshape TTNN views: placed where its operand is, sharing the operand's allocation (none of its own).</summary>
    private void CommitView(PlanValue v, PlanValue operand, MemoryConfig at)
    {
        v.Type = v.Type with { Memory = at };
        var owner = Owner(operand);
        _owner[v] = owner;
        if (_resident.ContainsKey(owner))
        {
            if (!_holders.TryGetValue(owner, out var h)) _holders[owner] = h = new HashSet<PlanValue>(ReferenceEqualityComparer.Instance) { owner };
            h.Add(v);
        }
        var note = $"a view of {operand} ({Describe(v.Type, at)}): TTNN reshapes it in place, sharing its buffer";
        v.Notes.Add(() => note);
        Steps.Add(new Step(StepKind.Op, v, [operand], 0, _l1.InUse(0), v.Why));
    }

    /// <summary>
    /// Live L1 tensors that could make room, best victim first: those used farthest ahead, the op's own operands
    /// last. When the op's result fits but its CBs run into a tensor, only tensors below the CBs' end help (unless
    /// the result itself landed there).
    /// </summary>
    private IEnumerable<PlanValue> Victims(PlanValue v, int t, long? address, long cb)
    {
        var operands = new HashSet<PlanValue>(v.Inputs.Select(Current).Select(Owner), ReferenceEqualityComparer.Instance);
        var live = _resident.Where(r => !ReferenceEquals(r.Key, v));
        if (address is not null && address >= cb) live = live.Where(r => r.Value.Address < cb);
        return live
            .OrderBy(r => operands.Contains(r.Key) ? 1 : 0)
            .ThenByDescending(r => NextUseOfAllocation(r.Key, t))
            .ThenByDescending(r => r.Value.Size)
            .ThenBy(r => r.Key.Id)
            .Select(r => r.Key);
    }

    private void Commit(PlanValue v, MemoryConfig? m, long? address, long size, long cb, List<PlanValue> operands, string? fallback)
    {
        v.Type = v.Type with { Memory = m };
        if (address is { } a) _resident[v] = (a, size, Steps.Count);
        var place = Describe(v.Type, m);
        var because = Because(v, m, fallback);
        var note = because is null ? $"fits: {place}" : $"{place}: {because}";
        v.Notes.Add(() => note);
        Steps.Add(new Step(StepKind.Op, v, operands, cb, _l1.InUse(cb), v.Why));
    }

    private string Describe(TensorType t, MemoryConfig? m) => m switch
    {
        null => "on the host",
        { Buffer: BufferType.Dram } => "DRAM interleaved",
        { Shard: { } s } => $"L1 {m.Layout switch { TensorMemoryLayout.HeightSharded => "height", TensorMemoryLayout.WidthSharded => "width", _ => "block" }}-sharded over {s.Cores} core{(s.Cores == 1 ? "" : "s")}, {TensorFootprint.Describe(rules.PerCore(t, m))} per core",
        _ => $"L1 interleaved, {TensorFootprint.Describe(rules.PerCore(t, m))} per core",
    };

    /// <summary>Why a better placement was not taken, or null when this is the best the producer could write.</summary>
    private string? Because(PlanValue v, MemoryConfig? m, string? fallback)
    {
        if (v.Op is ToMemoryConfig && !v.Retargetable) return "as its ttnn.to_memory_config asks";
        if (v.Retargetable && fallback is null) return null; // its reshard note says why it exists
        if (v.IsOutput) return "graph output";
        if (v.Kind == ValueKind.HostOp) return $"{v.Op.Name} runs on the host";
        if (fallback is not null) return fallback;
        var better = rules.ProducerOptions(v).TakeWhile(o => o != m).ToList();
        if (better.Count == 0)
            return m is { Buffer: BufferType.Dram }
                ? TensorFootprint.PageBytes(v.Type) > rules.Options.SpillReserve / 4
                    ? $"rows of {TensorFootprint.Describe(TensorFootprint.PageBytes(v.Type))} are too long for L1 pages"
                    : $"too large for L1 ({TensorFootprint.Describe(rules.PerCore(v.Type, MemoryConfig.L1Interleaved))} per core interleaved)"
                : null;
        var first = better[0];
        if (!rules.Feasible(v, first)) return $"{Describe(v.Type, first)} would not fit even alone";
        return rules.Refusal(v, first) is { } r ? $"not {Describe(v.Type, first)}: {r()}" : null;
    }

    /// <summary>
    /// Moves an allocation to DRAM: the first tensor holding it that has reads left is copied there, every other such
    /// holder becomes a view of that copy (the same bytes, a DRAM view: no program), then the allocation is freed.
    /// </summary>
    private void Spill(PlanValue owner, int t, PlanValue forWhom)
    {
        var holders = Holders(owner).OrderBy(h => h.Position).ToList();
        _holders.Remove(owner);
        PlanValue? copy = null;
        foreach (var h in holders) copy = copy is null ? SpillCopy(h, t, forWhom) : DramView(h, copy, forWhom);
        // The buffer goes with the last holder's deallocation (deallocate(force=False) frees a shared buffer last).
        for (int i = 0; i < holders.Count; i++)
        {
            if (i == holders.Count - 1) Close(owner);
            Steps.Add(new Step(StepKind.Deallocate, holders[i], [], 0, _l1.InUse(0), "moved to DRAM"));
        }
    }

    private PlanValue SpillCopy(PlanValue victim, int t, PlanValue forWhom)
    {
        var dram = victim.Type with { Memory = MemoryConfig.DramInterleaved };
        var move = new ToMemoryConfig { MemoryConfig = MemoryConfig.DramInterleaved.ToString() };
        var copy = new PlanValue(nextId(), ValueKind.Op, move, dram, victim.Name is null ? null : victim.Name + ".dram");
        copy.Inputs.Add(victim);
        register(copy);
        long cb = move.WorkingSetBytes([victim.Type], dram);
        if (cb > _l1.Lowest) throw new InvalidOperationException($"plan-memory: the spill of {victim} needs {cb} B of CBs below {_l1.Lowest}; the spill reserve is too small");
        int next = NextUse(victim, t);
        var reason = $"spilled to DRAM to make room for {forWhom}: its next reader, {schedule[next]}, was the farthest ahead";
        victim.Notes.Add(() => reason);
        copy.Notes.Add(() => $"spill of {victim} to DRAM, made when {forWhom} needed room");
        Steps.Add(new Step(StepKind.Spill, copy, [victim], cb, _l1.InUse(cb), $"spill {victim}: {reason}"));
        _copy[victim] = copy;
        return copy;
    }

    /// <summary>A holder of a spilled allocation besides the one copied: its readers read a view of the copy.</summary>
    private PlanValue DramView(PlanValue holder, PlanValue copy, PlanValue forWhom)
    {
        var view = new PlanValue(nextId(), ValueKind.Op, new Reshape { Shape = holder.Type.Shape.ToArray() },
            holder.Type with { Memory = MemoryConfig.DramInterleaved }, holder.Name is null ? null : holder.Name + ".dram");
        view.Inputs.Add(copy);
        register(view);
        _owner[view] = copy;
        var reason = $"spilled to DRAM with {copy.Inputs[0]}, whose buffer it shares, to make room for {forWhom}";
        holder.Notes.Add(() => reason);
        view.Notes.Add(() => $"a view of {copy} (DRAM interleaved): {holder} spilled with the buffer it shares");
        Steps.Add(new Step(StepKind.Op, view, [copy], 0, _l1.InUse(0), $"view of {copy} for {holder}"));
        _copy[holder] = view;
        return copy;
    }

    /// <summary>A tensor read for the last time: its allocation is freed unless another tensor holding it has reads left.</summary>
    private void Release(PlanValue v)
    {
        var owner = Owner(v);
        if (_holders.TryGetValue(owner, out var h))
        {
            h.Remove(v);
            if (h.Count > 0) return;
            _holders.Remove(owner);
        }
        Close(owner);
    }

    private void Close(PlanValue v)
    {
        if (!_resident.Remove(v, out var r)) return;
        Blocks.Add(new Block(v, r.Address, r.Size, r.From, Steps.Count));
        _l1.Free(v.Id);
    }

    private void FreeDead(PlanValue v, int t)
    {
        foreach (var x in v.Inputs.Distinct())
        {
            if (x.IsLeaf || x.IsOutput || x.Uses[^1] != t) continue;
            var c = Current(x);
            Release(c);
            Steps.Add(new Step(StepKind.Deallocate, c, [], 0, _l1.InUse(0), $"last read by {v}"));
        }
    }
}
