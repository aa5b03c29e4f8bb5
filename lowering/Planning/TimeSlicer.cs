using VoxTile.IR;
using VoxTile.IR.Ops.Ttnn;
using VoxTile.Lowering.Planning.Workarounds;

namespace VoxTile.Lowering.Planning;

/// <summary>
/// Cuts an op that does not fit in L1 (or that hits a known defect) into slices along time: conv1d along its
/// length, conv2d along its height (the time axis of ref_enc's spectrogram), matmul and linear along the rows of
/// their first operand. Each slice reads a <c>ttnn.slice</c> of the input with the halo its receptive field needs
/// (the conv's padding stays on the outer edges only), and the slices' results are joined by <c>ttnn.concat</c>
/// (a tree of them when there are many). Slices are whole tiles long where the output rows allow it.
/// </summary>
internal sealed class TimeSlicer(PlacementRules rules, Func<Op, IReadOnlyList<PlanValue>, Layout?, string?, PlanValue> make)
{
    private readonly DramConvSlicer _dram = new(rules, make);

    /// <summary>How one op splits: the input cut along one axis, the output along another.</summary>
    internal sealed record Cut(int OutputLength, int Align, int InputAxis, int OutputAxis, int OutputRowsPerStep, Func<int, int, Piece?> Piece);

    /// <summary>One slice: the input range (in steps of the input axis, times <see cref="InputRowsPerStep"/>) and the op that computes it.</summary>
    internal sealed record Piece(int Start, int End, int InputRowsPerStep, Op Op);

    /// <summary>How to cut <paramref name="v"/> explicitly: the slices' output ranges and why.</summary>
    internal sealed record ExplicitCut(Cut Cut, List<(int Start, int End)> Ranges, string Reason, List<KnownDefect> Defects);

    /// <summary>
    /// The ways <paramref name="v"/> may be sliced: TTNN's slicing through DRAM (<see cref="DramSlices"/>), explicit
    /// slices (<see cref="Explicit"/>), or both, when the planner cannot run it whole; null when it need not be sliced.
    /// </summary>
    internal sealed record Alternatives(PlanValue Value, int? DramSlices, ExplicitCut? Explicit)
    {
        public bool Both => DramSlices is not null && Explicit is not null;

        /// <summary>The explicit slices' steps: a slice and a conv per range, the concats joining them.</summary>
        public int ExplicitOps(int maxConcatInputs) => Explicit is null ? 1 : 2 * Explicit.Ranges.Count + Concats(Explicit.Ranges.Count, maxConcatInputs);

        /// <summary>The concats of the tree joining <paramref name="parts"/> slices, at most <paramref name="max"/> operands each.</summary>
        public static int Concats(int parts, int max)
        {
            int concats = 0;
            while (parts > max)
            {
                int groups = (parts + max - 1) / max;
                concats += parts / max + (parts % max > 1 ? 1 : 0);
                parts = groups;
            }
            return concats + 1;
        }
    }

    /// <summary>The value replacing <paramref name="v"/> (a concat of slices or a sliced conv), or null when it need not be sliced.</summary>
    public PlanValue? Slice(PlanValue v, List<string> workarounds) => Consider(v) is { } a ? Apply(a, explicitly: a.DramSlices is null, workarounds) : null;

    /// <summary>The ways <paramref name="v"/> may be sliced, or null when it need not be.</summary>
    public Alternatives? Consider(PlanValue v)
    {
        if (v.Kind != ValueKind.Op || v.Op is not ITtnnOp) return null;
        var defects = KnownDefects.Hit(v.Op, [.. v.Inputs.Select(i => i.Type)], v.Type, rules.Target).ToList();
        bool comfortable = rules.Comfortable(v);
        if (comfortable && defects.Count == 0) return null;
        // TTNN slices a conv through DRAM itself; a known defect is still cut around explicitly (the slices TTNN
        // makes inside are not ours to keep out of the defect's range).
        if (defects.Count == 0 && rules.Options.DramSliceConvs && _dram.Count(v, comfortable) is { } n)
        {
            // The explicit cut as the alternative: the slices that leave room around them, else the fewest that fit.
            var alt = CutOf(v) is { } c
                ? (Search(v, c, false, rules.Comfortable) ?? Search(v, c, false, p => rules.ProducerOptions(p).Any(m => rules.Feasible(p, m)))) is { } r
                    ? new ExplicitCut(c, r, Reason(v, comfortable, defects, r.Count), defects) : null
                : null;
            return new Alternatives(v, n, alt);
        }
        var cut = CutOf(v);
        if (cut is null)
        {
            if (defects.Count > 0)
                throw new VoxTileException($"{v} hits {defects[0]}, and it cannot be sliced along time to avoid it");
            return null; // not comfortable but maybe feasible: the liveness walk decides, and says so when it is not
        }

        // Slices that leave room around them if there are any; otherwise, when the op does not fit at all or hits
        // a defect, the fewest slices that fit alone.
        if (Search(v, cut, defects.Count > 0, rules.Comfortable) is { } ranges)
            return new Alternatives(v, null, new ExplicitCut(cut, ranges, Reason(v, comfortable, defects, ranges.Count), defects));
        if (defects.Count == 0 && rules.ProducerOptions(v).Any(m => rules.Feasible(v, m))) return null;
        if (Search(v, cut, defects.Count > 0, p => rules.ProducerOptions(p).Any(m => rules.Feasible(p, m))) is { } fitting)
            return new Alternatives(v, null, new ExplicitCut(cut, fitting, Reason(v, comfortable, defects, fitting.Count), defects));
        throw new VoxTileException($"{v} does not fit in L1 even in slices of {Math.Min(cut.Align, cut.OutputLength)} along time (it needs {TensorFootprint.Describe(rules.LeastAlone(v))} per core; the budget is {TensorFootprint.Describe(rules.Budget)})");
    }

    /// <summary>Slices <paramref name="a"/>'s value one of its ways: explicitly, or by TTNN through DRAM.</summary>
    public PlanValue Apply(Alternatives a, bool explicitly, List<string> workarounds, string? choice = null)
    {
        if (!explicitly || a.Explicit is null)
            return _dram.Make(a.Value, a.DramSlices ?? throw new InvalidOperationException($"{a.Value} has no DRAM slicing"), choice);
        var e = a.Explicit;
        return Build(a.Value, e.Cut, e.Ranges, choice is null ? e.Reason : $"{e.Reason}; {choice}", e.Defects, workarounds);
    }

    /// <summary>
    /// The explicit slices of <paramref name="a"/> as detached values for the cost model: per range the
    /// <c>ttnn.slice</c> of the input and the conv on it.
    /// </summary>
    public IEnumerable<(PlanValue Slice, PlanValue Piece)> ExplicitPieces(Alternatives a)
    {
        var e = a.Explicit ?? throw new InvalidOperationException($"{a.Value} has no explicit cut");
        foreach (var r in e.Ranges)
            if (e.Cut.Piece(r.Start, r.End) is { } p && Trial(a.Value, e.Cut, p) is { } piece)
                yield return (piece.Inputs[0], piece);
    }

    private string Reason(PlanValue v, bool comfortable, List<KnownDefect> defects, int count) => comfortable
        ? $"sliced in {count} along time to avoid {string.Join("; ", defects.Select(d => d.Issue))}"
        : $"sliced in {count} along time: {v.Op.Name} needs {TensorFootprint.Describe(rules.LeastAlone(v))} of L1 per core on its own, more than {rules.Options.SliceThreshold:P0} of the {TensorFootprint.Describe(rules.Budget)} budget"
            + (defects.Count > 0 ? $"; the slices also avoid {string.Join("; ", defects.Select(d => d.Issue))}" : "");

    /// <summary>
    /// Few slices (whole tiles long where possible) that each satisfy <paramref name="good"/> and avoid the defects,
    /// or null. A bisection over the slice length: a shorter slice never needs more L1, so the longest one that
    /// works is found in a few probes (the defect ranges are not monotone, but every answer is checked).
    /// </summary>
    private List<(int Start, int End)>? Search(PlanValue v, Cut cut, bool checkDefects, Func<PlanValue, bool> good)
    {
        int outLen = cut.OutputLength, align = Math.Min(cut.Align, outLen);
        int units = (outLen + align - 1) / align;     // the slice length in units of align, at most
        if (units < 2) return null;
        List<(int, int)> Ranges(int u)
        {
            int len = u * align, count = (outLen + len - 1) / len;
            return [.. Enumerable.Range(0, count).Select(i => (i * len, Math.Min(outLen, (i + 1) * len)))];
        }
        bool Works(int u) => Fits(v, cut, Ranges(u), checkDefects, good);
        int lo = 1, hi = (units + 1) / 2; // at least two slices
        if (hi * align >= outLen) hi = Math.Max(1, hi - 1);
        if (!Works(lo)) return null;
        while (lo < hi)
        {
            int mid = (lo + hi + 1) / 2;
            if (Works(mid)) lo = mid;
            else hi = mid - 1;
        }
        return Ranges(lo);
    }

    private bool Fits(PlanValue v, Cut cut, List<(int Start, int End)> ranges, bool checkDefects, Func<PlanValue, bool> good)
    {
        // Slices differ only at the edges (padding, a short last one): check the first two, one in the middle and the last two.
        var probe = new SortedSet<int> { 0, 1, ranges.Count / 2, ranges.Count - 2, ranges.Count - 1 };
        foreach (int i in probe)
        {
            if (i < 0 || i >= ranges.Count) continue;
            var p = cut.Piece(ranges[i].Start, ranges[i].End);
            if (p is null) return false;
            var trial = Trial(v, cut, p);
            if (trial is null || !good(trial)) return false;
            if (checkDefects && KnownDefects.Hit(trial.Op, [.. trial.Inputs.Select(x => x.Type)], trial.Type, rules.Target).Any()) return false;
        }
        if (checkDefects)
            foreach (var r in ranges)
            {
                var p = cut.Piece(r.Start, r.End);
                var trial = p is null ? null : Trial(v, cut, p);
                if (trial is null || KnownDefects.Hit(trial.Op, [.. trial.Inputs.Select(x => x.Type)], trial.Type, rules.Target).Any()) return false;
            }
        return true;
    }

    /// <summary>A slice as a detached value (for fit checks), or null when its types do not work out.</summary>
    private static PlanValue? Trial(PlanValue v, Cut cut, Piece p)
    {
        var x = v.Inputs[0];
        var sliced = SliceOp(x.Type, cut.InputAxis, p.Start * p.InputRowsPerStep, p.End * p.InputRowsPerStep);
        var st = sliced.InferType([x.Type]);
        if (!st.Ok) return null;
        var xs = new PlanValue(-1, ValueKind.Op, sliced, st.Type! with { Layout = x.Type.Layout }, null);
        xs.Inputs.Add(x);
        var ins = new List<TensorType> { xs.Type };
        ins.AddRange(v.Inputs.Skip(1).Select(i => i.Type));
        var t = p.Op.InferType(ins);
        if (!t.Ok) return null;
        var piece = new PlanValue(-1, ValueKind.Op, p.Op, t.Type! with { Layout = v.Type.Layout }, null);
        piece.Inputs.Add(xs);
        piece.Inputs.AddRange(v.Inputs.Skip(1));
        return piece;
    }

    private PlanValue Build(PlanValue v, Cut cut, List<(int Start, int End)> ranges, string reason, List<KnownDefect> defects, List<string> workarounds)
    {
        foreach (var d in defects) workarounds.Add($"{d.Issue} on {v}: {d.Avoidance}");
        var x = v.Inputs[0];
        var parts = new List<PlanValue>();
        PlanValue? result = null; // the value that replaces v: the reasons below name it
        for (int i = 0; i < ranges.Count; i++)
        {
            var p = cut.Piece(ranges[i].Start, ranges[i].End)!;
            var xs = make(SliceOp(x.Type, cut.InputAxis, p.Start * p.InputRowsPerStep, p.End * p.InputRowsPerStep), [x], x.Type.Layout, Suffix(v, $"in{i}"));
            int n = i + 1;
            xs.Notes.Add(() => $"slice {n} of {ranges.Count} of the input of {result}");
            var piece = make(p.Op, [xs, .. v.Inputs.Skip(1)], v.Type.Layout, Suffix(v, $"slice{i}"));
            var rows = $"rows {ranges[i].Start * cut.OutputRowsPerStep}–{ranges[i].End * cut.OutputRowsPerStep}";
            piece.Notes.Add(() => $"slice {n} of {ranges.Count} of {result}: {rows}");
            parts.Add(piece);
        }
        int level = 0;
        while (parts.Count > rules.Options.MaxConcatInputs)
        {
            var next = new List<PlanValue>();
            for (int i = 0; i < parts.Count; i += rules.Options.MaxConcatInputs)
            {
                var group = parts.Skip(i).Take(rules.Options.MaxConcatInputs).ToList();
                if (group.Count == 1) { next.Add(group[0]); continue; }
                var joined = make(new Concat { Dim = cut.OutputAxis }, group, v.Type.Layout, Suffix(v, $"join{level}_{next.Count}"));
                joined.Notes.Add(() => $"joins slices of {result}");
                next.Add(joined);
            }
            parts = next;
            level++;
        }
        result = make(new Concat { Dim = cut.OutputAxis }, parts, v.Type.Layout, v.Name);
        result.Notes.Add(() => reason);
        return result;
    }

    private static string? Suffix(PlanValue v, string s) => v.Name is null ? null : $"{v.Name}.{s}";

    private static Slice SliceOp(TensorType t, int axis, int start, int end)
    {
        var d = TensorFootprint.Dims(t);
        var s = new int[d.Length];
        var e = (int[])d.Clone();
        s[axis] = start;
        e[axis] = end;
        return new Slice { SliceStart = s, SliceEnd = e, SliceStep = [.. d.Select(_ => 1)] };
    }

    /// <summary>How <paramref name="v"/> splits along time, or null when it does not.</summary>
    private static Cut? CutOf(PlanValue v)
    {
        var x = v.Inputs[0].Type;
        if (!x.Shape.IsFixed) return null;
        var xd = x.Shape.ToArray();
        switch (v.Op)
        {
            case Conv1d c when c.BatchSize == 1:
                {
                    // [1, L, 1, C] and [1, L, C] cut axis 1; the flattened [1, 1, L, C] cuts axis 2.
                    int axis = xd.Length == 4 && !(xd[1] == c.InputLength && xd[2] == 1) ? 2 : 1;
                    return new Cut(c.OutputLength, TensorFootprint.Tile, axis, 2, 1, (o0, o1) =>
                    {
                        var (i0, i1, pl, pr) = Window(o0, o1, c.InputLength, c.Stride, c.PadLeft, c.Dilation, c.KernelSize);
                        if (i1 <= i0) return null;
                        var op = new Conv1d
                        {
                            InChannels = c.InChannels, OutChannels = c.OutChannels, BatchSize = 1, InputLength = i1 - i0, KernelSize = c.KernelSize,
                            Stride = c.Stride, Padding = [pl, pr], Dilation = c.Dilation, Groups = c.Groups,
                            Activation = c.Activation, ActivationParam = c.ActivationParam, // elementwise: each slice applies it
                        };
                        return new Piece(i0, i1, 1, op);
                    });
                }
            case Conv2d c when c.BatchSize == 1:
                {
                    bool nhwc = xd.Length == 4 && xd[0] == 1 && xd[1] == c.InputHeight && xd[2] == c.InputWidth && !(xd[1] == 1 && xd[2] == 1);
                    int axis = nhwc ? 1 : 2, perStep = nhwc ? 1 : c.InputWidth;
                    var pads = c.Pads;
                    return new Cut(c.OutputHeight, 1, axis, 2, c.OutputWidth, (o0, o1) =>
                    {
                        var (i0, i1, pt, pb) = Window(o0, o1, c.InputHeight, c.Stride[0], pads[0], c.Dilation[0], c.KernelSize[0]);
                        if (i1 <= i0) return null;
                        var op = new Conv2d
                        {
                            InChannels = c.InChannels, OutChannels = c.OutChannels, BatchSize = 1, InputHeight = i1 - i0, InputWidth = c.InputWidth,
                            KernelSize = c.KernelSize, Stride = c.Stride, Padding = [pt, pb, pads[2], pads[3]], Dilation = c.Dilation, Groups = c.Groups,
                        };
                        return new Piece(i0, i1, perStep, op);
                    });
                }
            case Matmul { TransposeA: false }:
            case IR.Ops.Ttnn.Linear { TransposeA: false }:
                {
                    if (xd.Length < 2 || xd.Take(xd.Length - 2).Any(d => d != 1)) return null;
                    int m = xd[^2];
                    return new Cut(m, TensorFootprint.Tile, xd.Length - 2, v.Type.Rank - 2, 1, (o0, o1) => new Piece(o0, o1, 1, v.Op));
                }
            default:
                return null;
        }
    }

    /// <summary>The input rows [i0, i1) that outputs [o0, o1) read, and the padding each side that stays.</summary>
    private static (int I0, int I1, int PadBefore, int PadAfter) Window(int o0, int o1, int length, int stride, int padBefore, int dilation, int kernel)
    {
        long start = (long)o0 * stride - padBefore;
        long end = (long)(o1 - 1) * stride - padBefore + (long)dilation * (kernel - 1) + 1;
        long i0 = Math.Max(0, start), i1 = Math.Min(length, end);
        return ((int)i0, (int)i1, (int)(i0 - start), (int)(end - i1));
    }
}
