using VoxTile.IR;
using VoxTile.IR.Ops.Ttnn;

namespace VoxTile.Lowering.Planning;

/// <summary>
/// Plans a conv too large for L1 as one conv step that TTNN slices through DRAM (<see cref="ConvSliceType"/>; the
/// <c>slice_config</c> of <c>ttnn.conv2d</c>): its input and output in DRAM, and L1 holding one slice at a time (the
/// slice's input with its halo, its output, the conv's CBs: <see cref="TtnnWorkingSet.SlicedConv"/>). The slice count is
/// the fewest whose working set leaves room around it (at most <see cref="PlannerOptions.SliceThreshold"/> of the
/// budget), else the fewest that fit at all. A conv1d slices along its length (the width of the height-1 conv2d it is
/// emitted as), a conv2d along its height (time, for ref_enc's spectrogram).
/// </summary>
internal sealed class DramConvSlicer(PlacementRules rules, Func<Op, IReadOnlyList<PlanValue>, Layout?, string?, PlanValue> make)
{
    /// <summary>The slice count TTNN should run <paramref name="v"/> in, or null when it is no conv that TTNN can slice or no slice count fits.</summary>
    public int? Count(PlanValue v, bool comfortable)
    {
        if (Extent(v.Op) is not { } extent || extent < 2) return null;
        int? Fewest(Func<PlanValue, bool> good)
        {
            // The per-slice working set shrinks as the slices do: bisect for the fewest slices that are good.
            if (!good(Trial(v, extent))) return null;
            int lo = 2, hi = extent;
            while (lo < hi)
            {
                int mid = lo + (hi - lo) / 2;
                if (good(Trial(v, mid))) hi = mid;
                else lo = mid + 1;
            }
            return lo;
        }
        bool Comfortable(PlanValue p) => rules.Alone(p, MemoryConfig.DramInterleaved) <= rules.Options.SliceThreshold * rules.Budget;
        bool Fits(PlanValue p) => rules.Feasible(p, MemoryConfig.DramInterleaved);
        var count = Fewest(Comfortable);
        if (count is null && (comfortable || rules.ProducerOptions(v).Any(m => rules.Feasible(v, m)))) return null;
        return count ?? Fewest(Fits);
    }

    /// <summary>The conv replacing <paramref name="v"/>, sliced by TTNN in <paramref name="n"/> (from <see cref="Count"/>).</summary>
    public PlanValue Make(PlanValue v, int n, string? choice = null)
    {
        var sliced = make(WithSlices(v.Op, n), v.Inputs, v.Type.Layout, v.Name);
        long perSlice = rules.Alone(Trial(v, n), MemoryConfig.DramInterleaved);
        string least = TensorFootprint.Describe(rules.LeastAlone(v)), budget = TensorFootprint.Describe(rules.Budget);
        sliced.Notes.Add(() => $"sliced by TTNN in {n} along time through DRAM: {v.Op.Name} needs {least} of L1 per core on its own, "
            + $"more than {rules.Options.SliceThreshold:P0} of the {budget} budget; one slice needs {TensorFootprint.Describe(perSlice)}"
            + (choice is null ? "" : $"; {choice}"));
        return sliced;
    }

    /// <summary>
    /// Ops the program spends on a conv step beyond the call: a DRAM-sliced conv1d is emitted as the height-1 conv2d it
    /// stands for, and an input not already [N, 1, L, C] or [1, 1, N·L, C] is first viewed as that flattened form by a
    /// <c>ttnn.reshape</c> (Emit/ConvEmitter's rule, counted here so the op budget counts the program's ops).
    /// </summary>
    public static int EmittedViews(Op op, TensorType input)
    {
        if (op is not Conv1d { IsDramSliced: true } c) return 0;
        var d = input.Shape.ToArray();
        bool flat = d.Length == 4 && d[^1] == c.InChannels
            && ((d[0] == c.BatchSize && d[1] == 1 && d[2] == c.InputLength) || (d[0] == 1 && d[1] == 1 && d[2] == c.BatchSize * c.InputLength));
        return flat ? 0 : 1;
    }

    /// <summary>The conv as TTNN runs it in <paramref name="n"/> slices: its op, for the cost model.</summary>
    public static Op Sliced(Op op, int n) => WithSlices(op, n);

    /// <summary>The output extent along the axis TTNN slices, or null when the op is no conv it slices (or already is sliced).</summary>
    private static int? Extent(Op op) => op switch
    {
        Conv1d { IsDramSliced: false } c => c.OutputLength,
        Conv2d { IsDramSliced: false } c => c.OutputHeight,
        _ => null,
    };

    private static Op WithSlices(Op op, int n) => op switch
    {
        Conv1d c => c.WithSlices(ConvSliceType.Width, n),
        Conv2d c => c.WithSlices(ConvSliceType.Height, n),
        _ => throw new InvalidOperationException($"{op.Name} is not a conv TTNN slices"),
    };

    /// <summary>The sliced conv as a detached value for the fit checks: its inputs and output in DRAM.</summary>
    private static PlanValue Trial(PlanValue v, int n)
    {
        var p = new PlanValue(-1, ValueKind.Op, WithSlices(v.Op, n), v.Type, null);
        p.Inputs.AddRange(v.Inputs);
        return p;
    }
}
