using VoxTile.IR.Ops.Ttnn;
using VoxTile.Lowering.Planning.Workarounds;

namespace VoxTile.Lowering.Planning;

/// <summary>
/// A conv1d whose default act block leaves no room around it runs with a shorter one instead of being sliced along
/// time. TTNN's default act block is one core's whole output height × C·K (the im2col rows of every output the core
/// computes): for the HiFi-GAN's resblock convs (32768 × 128, kernel 11, height-sharded over 64 cores) that alone is
/// 1.4 MiB, more than a core's L1, so the conv went through DRAM and every residual add and leaky_relu between two
/// such convs paid a DRAM round trip. With <c>Conv2dConfig.act_block_h_override</c> the core walks its rows a block at
/// a time over weights that stay whole in L1 (<see cref="TtnnWorkingSet.Conv"/>); the values do not change.
/// <para>The block is the tallest divisor of the per-core height (tt-metal takes an override only where it divides
/// that height) that makes the conv comfortable (<see cref="PlacementRules.Comfortable"/>: at most
/// <see cref="PlannerOptions.SliceThreshold"/> of the budget alone, room left for the tensors live around it); where
/// none does, the conv is left to the time slicer. Convs that hit a known defect are left to it too.</para>
/// </summary>
internal static class ConvActBlocks
{
    /// <summary>Sets a shorter act block on <paramref name="v"/> where that makes it comfortable; whether it did.</summary>
    public static bool Shrink(PlanValue v, PlacementRules rules)
    {
        if (v.Kind != ValueKind.Op || v.Op is not Conv1d { IsDramSliced: false, ActBlockH: 0 } conv) return false;
        if (rules.Comfortable(v)) return false;
        if (KnownDefects.Hit(v.Op, [.. v.Inputs.Select(i => i.Type)], v.Type, rules.Target).Any()) return false;
        var sharded = rules.Shardings(v.Type).FirstOrDefault(m => m.Layout == IR.TensorMemoryLayout.HeightSharded);
        if (sharded is null) return false;
        long perCore = TtnnWorkingSet.ConvRowsPerCore(v.Type with { Memory = sharded });
        long before = rules.LeastAlone(v);
        for (long tiles = perCore - 1; tiles >= 1; tiles--)
        {
            if (perCore % tiles != 0) continue;
            var op = conv.WithActBlockH((int)(tiles * TtnnWorkingSet.Tile));
            if (!rules.Comfortable(Trial(v, op))) continue;
            v.Op = op;
            long after = rules.LeastAlone(v);
            v.Notes.Add(() => $"act block of {op.ActBlockH} rows (act_block_h_override): the default block of {perCore * TtnnWorkingSet.Tile} rows needs "
                + $"{TensorFootprint.Describe(before)} of L1 per core on its own, more than {rules.Options.SliceThreshold:P0} of the "
                + $"{TensorFootprint.Describe(rules.Budget)} budget; this one {TensorFootprint.Describe(after)}");
            return true;
        }
        return false;
    }

    /// <summary><paramref name="v"/> with <paramref name="op"/> as a detached value for the fit checks (not cached by id).</summary>
    private static PlanValue Trial(PlanValue v, Conv1d op)
    {
        var p = new PlanValue(-1, ValueKind.Op, op, v.Type, null);
        p.Inputs.AddRange(v.Inputs);
        return p;
    }
}
