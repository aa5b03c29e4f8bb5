using VoxTile.IR;
using VoxTile.Runtime.Native;
using VoxTile.Runtime.Execution.Kernels;
using Ttnn = VoxTile.IR.Ops.Ttnn;

namespace VoxTile.Runtime.Execution;

/// <summary>
/// The executor's fusion pass over a loaded plan (the plan file is unchanged): each <c>ttnn.conv1d</c> absorbs
/// <list type="bullet">
/// <item>its input's pre-activation: <c>leaky_relu → to_layout</c> (a ResBlock's leaky_relu(x) before its conv) becomes
/// vt_conv1d's input activation, read straight from x;</item>
/// <item>a multiply of its input by a row mask (a [.., L, 1] value per time step, broadcast over the channels: the
/// masked decoder's <c>leaky_relu → multiply(mask) → to_layout → conv</c>, or <c>multiply(mask) → conv</c>) becomes
/// vt_conv1d's input mask, applied as the rows are staged (a row of 0 is staged as zeros, like the padding);</item>
/// <item>a per-channel add after it (a folded or runtime conditioning vector): added to the bias;</item>
/// <item>an activation after it: relu, leaky_relu, tanh, sigmoid, or WaveNet's gate <c>slice → tanh, slice → sigmoid →
/// multiply</c> (vt's gated activation);</item>
/// <item>a residual add after that (ResBlock's <c>conv2(…) + x</c>);</item>
/// <item>a multiply by a row mask last (VITS's <c>conv(x) * x_mask</c>): vt_conv1d's output mask.</item>
/// </list>
/// Every absorbed value must have that one consumer and be neither a plan output nor a value the caller keeps; the
/// fused kernel runs at the position of the last step it absorbs, so its residual, bias and mask operands exist.
/// Numerics: the fused epilogue rounds once, at the store, instead of after each op (never less accurate); a product
/// with a 0/1 mask is exact either way.
/// </summary>
internal static class ConvEpilogueFusion
{
    public static int Apply(LoadedPlan plan, StepKernel?[] kernels, IReadOnlySet<int> keep, TensorPool weights)
    {
        var (consumers, producer) = Uses(plan, kernels);
        int Only(int id) => !keep.Contains(id) && consumers.TryGetValue(id, out var l) && l.Count == 1 ? l[0].Step : -1;
        int fused = MergeChannelConcats(plan, kernels, producer, Only, weights);
        if (fused > 0) (consumers, producer) = Uses(plan, kernels);
        int sliced = MergeTimeSlices(plan, kernels, producer, Only);
        if (sliced > 0) (consumers, producer) = Uses(plan, kernels); // the merged convs read x itself now
        fused += sliced;

        for (int ci = 0; ci < kernels.Length; ci++)
        {
            if (kernels[ci] is not Conv1dKernel conv) continue;
            var op = conv.Conv;
            int[] nlc = [op.BatchSize, op.InputLength, op.InChannels];

            // Input pre-activation and mask: x → [act] → moves → [multiply(·, row mask)] → moves → conv, where the moves
            // keep the values (to_layout, typecast, to_memory_config, a reshape of the same bytes).
            {
                var moves = new List<int>();
                int t = conv.Inputs[0], reader = ci;
                void Walk()
                {
                    while (producer.TryGetValue(t, out var p) && kernels[p] is { } k && Only(t) == reader
                        && (k is AliasKernel || k.Op is Ttnn.ToLayout or Ttnn.Typecast or Ttnn.ToMemoryConfig)
                        && plan.Types[k.Inputs[0]].DType.IsFloatType())
                    {
                        moves.Add(p);
                        (t, reader) = (k.Inputs[0], p);
                    }
                }
                Walk();
                int maskStep = -1, mask = -1, data = -1;
                if (producer.TryGetValue(t, out var ms) && kernels[ms] is BinaryKernel { Code: VtBinaryOp.Mul } mul && Only(t) == reader
                    && SameOrder(plan.Types[mul.Output], nlc) && MaskedOperand(plan, kernels, producer, mul, nlc[0] * nlc[1], ms) is var (d, m)
                    && d >= 0 && SameOrder(plan.Types[d], nlc) && plan.Types[d].DType.IsFloatType())
                {
                    (maskStep, mask, data, t, reader) = (ms, m, d, d, ms);
                    Walk();
                }
                if (producer.TryGetValue(t, out var a) && kernels[a] is UnaryKernel u && Only(t) == reader
                    && ActivationOf(u) is { } act && act != Activation.GatedTanhSigmoid
                    && SameOrder(plan.Types[u.Inputs[0]], nlc))
                {
                    conv.Inputs[0] = u.Inputs[0];
                    conv.FuseInputActivation(a, act, u.Param);
                    kernels[a] = null;
                    fused++;
                }
                else if (maskStep >= 0 && RunsBefore(data, maskStep, kernels, producer))
                {
                    conv.Inputs[0] = data; // the masked values themselves, no activation
                    moves.RemoveAll(p => p < maskStep); // the moves before the multiply still make the data
                }
                else
                {
                    maskStep = -1;
                    moves.Clear();
                }
                if (maskStep >= 0)
                {
                    conv.FuseInputMask(maskStep, mask);
                    kernels[maskStep] = null;
                    fused++;
                }
                if (conv.InputActivation != Activation.None || maskStep >= 0)
                    foreach (var mv in moves)
                    {
                        conv.Absorb(mv);
                        kernels[mv] = null;
                        fused++;
                    }
            }

            // Epilogue: [per-channel add] [activation | gate] [residual add].
            int cur = conv.Target, outChannels = op.OutChannels;
            int[] nlo = [op.BatchSize, op.OutputLength, op.OutChannels];
            int s = Only(cur);
            if (s >= 0 && kernels[s] is BinaryKernel { Code: VtBinaryOp.Add } add && Other(add, cur) is var b && b >= 0 && b != cur
                && IsChannelVector(plan.Types[b], outChannels) && SameOrder(plan.Types[add.Output], nlo))
            {
                conv.FuseBias(s, add.Output, b);
                kernels[s] = null;
                fused++;
                cur = add.Output;
            }
            if (Gate(plan, kernels, consumers, keep, cur, outChannels) is { } gate && SameOrder(plan.Types[gate.Output], [op.BatchSize, op.OutputLength, outChannels / 2]))
            {
                foreach (var g in gate.Steps)
                {
                    kernels[g] = null;
                    fused++;
                }
                conv.FuseOutput(gate.Steps[^1], gate.Output, Activation.GatedTanhSigmoid);
                cur = gate.Output;
                outChannels /= 2;
            }
            else if ((s = Only(cur)) >= 0 && kernels[s] is UnaryKernel un && ActivationOf(un) is { } act2
                && plan.Types[un.Output].DType == plan.Types[cur].DType && SameOrder(plan.Types[un.Output], nlo))
            {
                conv.FuseOutput(s, un.Output, act2, un.Param);
                kernels[s] = null;
                fused++;
                cur = un.Output;
            }
            int[] final = [op.BatchSize, op.OutputLength, outChannels];
            if ((s = Only(cur)) >= 0 && kernels[s] is BinaryKernel { Code: VtBinaryOp.Add } res && Other(res, cur) is var r && r >= 0 && r != cur
                && Tensor.Count(plan.Types[r].Shape.ToArray()) == Tensor.Count(final)
                && SameOrder(plan.Types[r], final) && SameOrder(plan.Types[res.Output], final)
                && (!producer.TryGetValue(r, out var rp) || rp < s))
            {
                conv.FuseOutput(s, res.Output, residual: r);
                kernels[s] = null;
                fused++;
                cur = res.Output;
            }
            // Last, a row mask: conv(x) * x_mask.
            if ((s = Only(cur)) >= 0 && kernels[s] is BinaryKernel { Code: VtBinaryOp.Mul } mm && Other(mm, cur) is var mo && mo >= 0 && mo != cur
                && IsRowMask(plan.Types[mo], plan.Types[mm.Output], op.BatchSize * op.OutputLength)
                && SameOrder(plan.Types[mm.Output], final) && plan.Types[mm.Output].DType == plan.Types[cur].DType
                && RunsBefore(mo, s, kernels, producer))
            {
                conv.FuseOutput(s, mm.Output, mask: mo);
                kernels[s] = null;
                fused++;
            }
            producer[conv.Target] = ci; // what the fused kernel writes now (a later conv may read it through its masks)
        }
        return fused;
    }

    /// <summary>
    /// Which operand of <paramref name="mul"/> (step <paramref name="step"/>) is a row mask of <paramref name="rows"/>
    /// values and which is the data it masks: (data, mask), or (−1, −1). With one channel both look like masks; the
    /// operand an activation produced is then taken for the data.
    /// </summary>
    private static (int Data, int Mask) MaskedOperand(LoadedPlan plan, StepKernel?[] kernels, Dictionary<int, int> producer, BinaryKernel mul, int rows, int step)
    {
        int x = mul.Inputs[0], y = mul.Inputs[1];
        if (x == y) return (-1, -1);
        bool Activated(int id) => producer.TryGetValue(id, out var p) && kernels[p] is UnaryKernel u && ActivationOf(u) is not null;
        foreach (var (data, mask) in Activated(y) ? new[] { (y, x), (x, y) } : [(x, y), (y, x)])
            if (IsRowMask(plan.Types[mask], plan.Types[mul.Output], rows) && RunsBefore(mask, step, kernels, producer)) return (data, mask);
        return (-1, -1);
    }

    /// <summary>
    /// [.., L, 1] against a product [.., L, C]: <paramref name="rows"/> values, one per row, broadcast only over the
    /// channels (right-aligned, every other dim equal, missing dims 1).
    /// </summary>
    private static bool IsRowMask(TensorType mask, TensorType product, int rows)
    {
        var m = mask.Shape.ToArray();
        var o = product.Shape.ToArray();
        if (m.Length == 0 || o.Length == 0 || m[^1] != 1 || Tensor.Count(m) != rows || !mask.DType.IsFloatType()) return false;
        for (int k = 2; k <= Math.Max(m.Length, o.Length); k++)
            if ((k <= m.Length ? m[^k] : 1) != (k <= o.Length ? o[^k] : 1)) return false;
        return true;
    }

    /// <summary>Whether <paramref name="id"/> exists before step <paramref name="step"/> runs (an input, a weight, or the
    /// output of a kernel that runs earlier, wherever fusion moved it).</summary>
    private static bool RunsBefore(int id, int step, StepKernel?[] kernels, Dictionary<int, int> producer)
    {
        if (!producer.TryGetValue(id, out var p)) return true;
        return kernels[p] is { } k && (k.FusedSteps.Count == 0 ? k.Step : Math.Max(k.Step, k.FusedSteps.Max())) < step;
    }

    /// <summary>
    /// The tensor behind <paramref name="input"/> of step <paramref name="consumer"/> once moves that keep the bytes
    /// (to_memory_config, to_layout: <see cref="AliasKernel"/>) are looked through, each read only by the next; the
    /// moves' steps are added to <paramref name="moves"/>. −1 when <paramref name="input"/> has other readers.
    /// </summary>
    private static int Behind(int input, int consumer, StepKernel?[] kernels, Dictionary<int, int> producer, Func<int, int> only, List<int> moves)
    {
        if (only(input) != consumer) return -1;
        while (producer.TryGetValue(input, out var p) && kernels[p] is AliasKernel a && only(a.Inputs[0]) == p)
        {
            moves.Add(p);
            input = a.Inputs[0];
        }
        return input;
    }

    /// <summary>Who reads each tensor (step, operand) and which step writes it, as the kernels now stand.</summary>
    private static (Dictionary<int, List<(int Step, int Operand)>> Consumers, Dictionary<int, int> Producer) Uses(LoadedPlan plan, StepKernel?[] kernels)
    {
        var consumers = new Dictionary<int, List<(int Step, int Operand)>>();
        var producer = new Dictionary<int, int>();
        foreach (var k in kernels)
        {
            if (k is null) continue;
            var reads = k.Inputs.Concat(k.ExtraInputs).ToList();
            for (int j = 0; j < reads.Count; j++)
            {
                if (!consumers.TryGetValue(reads[j], out var l)) consumers[reads[j]] = l = [];
                l.Add((k.Step, j));
            }
            producer[k.Target] = k.Step;
        }
        foreach (var id in plan.Plan.Outputs)
        {
            if (!consumers.TryGetValue(id, out var l)) consumers[id] = l = [];
            l.Add((-1, -1)); // the caller reads the outputs
        }
        return (consumers, producer);
    }

    /// <summary>
    /// Convs that read the same input with the same geometry and whose outputs a concat puts side by side on the
    /// channel dim (the phases of a polyphase transposed conv) run as one conv with their weights stacked: one GEMM
    /// with N = Σ out channels instead of several narrow ones, written straight into the concat's output.
    /// </summary>
    private static unsafe int MergeChannelConcats(LoadedPlan plan, StepKernel?[] kernels, Dictionary<int, int> producer, Func<int, int> only, TensorPool weights)
    {
        int merged = 0;
        for (int ki = 0; ki < kernels.Length; ki++)
        {
            if (kernels[ki] is not ConcatKernel cat || cat.Inputs.Length < 2) continue;
            var outType = plan.Types[cat.Output];
            if (Dims.Normalize(((Ttnn.Concat)cat.Op).Dim, outType.Rank) != outType.Rank - 1) continue;
            var convs = new List<Conv1dKernel>();
            var moves = new List<int>();
            foreach (var input in cat.Inputs)
                if (Behind(input, ki, kernels, producer, only, moves) is var part && part >= 0
                    && producer.TryGetValue(part, out var cs) && kernels[cs] is Conv1dKernel { FusedSteps.Count: 0 } c && c.Output == part) convs.Add(c);
            if (convs.Count != cat.Inputs.Length) continue;
            var f = convs[0].Conv;
            bool same = convs.All(c => c.Inputs[0] == convs[0].Inputs[0] && c.Conv.BatchSize == f.BatchSize && c.Conv.InputLength == f.InputLength
                && c.Conv.KernelSize == f.KernelSize && c.Conv.Stride == f.Stride && c.Conv.Dilation == f.Dilation && c.Conv.Groups == 1
                && c.Conv.PadLeft == f.PadLeft && c.Conv.PadRight == f.PadRight && c.Conv.InChannels == f.InChannels
                && weights.TryGet(c.Inputs[1]) is { Layout: Layout.RowMajor } w && w.DType == weights[convs[0].Inputs[1]].DType
                && (c.Inputs.Length < 3 || weights.TryGet(c.Inputs[2]) is not null));
            if (!same || !SameOrder(outType, [f.BatchSize, f.OutputLength, convs.Sum(c => c.Conv.OutChannels)])) continue;

            int total = convs.Sum(c => c.Conv.OutChannels);
            var first = weights[convs[0].Inputs[1]];
            long rowBytes = first.Buffer.Bytes / f.OutChannels;
            var stacked = new byte[rowBytes * total];
            var bias = new float[total];
            int at = 0;
            foreach (var c in convs)
            {
                var w = weights[c.Inputs[1]];
                new ReadOnlySpan<byte>((void*)w.Data, (int)(rowBytes * c.Conv.OutChannels)).CopyTo(stacked.AsSpan((int)(rowBytes * at)));
                if (c.Inputs.Length > 2) weights[c.Inputs[2]].Download().Data.AsSpan(0, c.Conv.OutChannels).CopyTo(bias.AsSpan(at));
                at += c.Conv.OutChannels;
            }
            var op = new Ttnn.Conv1d
            {
                InChannels = f.InChannels,
                OutChannels = total,
                BatchSize = f.BatchSize,
                InputLength = f.InputLength,
                KernelSize = f.KernelSize,
                Stride = f.Stride,
                Padding = [f.PadLeft, f.PadRight],
                Dilation = f.Dilation,
                Groups = 1,
            };
            WeightsHandle handle;
            fixed (byte* p = stacked)
                handle = NativeKernels.WeightsCreate(NativeKernels.View((nint)p, [total, f.InChannels, f.KernelSize], first.DType, Layout.RowMajor),
                    1, f.InChannels > 0 && first.DType == DType.F32 && plan.Types[convs[0].Inputs[0]].DType == DType.F32 ? DType.F32 : DType.BF16, plan.Describe(convs[0].Step));
            var absorbed = new List<int>(moves);
            foreach (var m in moves) kernels[m] = null;
            for (int i = 1; i < convs.Count; i++)
            {
                absorbed.Add(convs[i].Step);
                kernels[convs[i].Step] = null;
                convs[i].Release();
            }
            absorbed.Add(ki);
            kernels[ki] = null;
            convs[0].MergeChannels(op, handle, bias, cat.Output, absorbed);
            merged += absorbed.Count;
        }
        return merged;
    }

    /// <summary>
    /// The planner cuts a conv too big for L1 along time: slices of x (with halos), a conv per slice, a concat of the
    /// outputs. In host memory nothing needs cutting, so such a group runs as the one conv it was cut from (the first
    /// slice's kernel, over the whole of x, writing the concat's output); the other kernels are released. Only
    /// groups that are exactly that conv qualify: stride 1, the same weights and attributes, slices that only pad
    /// at x's own ends, outputs that follow each other in the concat.
    /// </summary>
    private static int MergeTimeSlices(LoadedPlan plan, StepKernel?[] kernels, Dictionary<int, int> producer, Func<int, int> only)
    {
        int merged = 0;
        for (int ki = 0; ki < kernels.Length; ki++)
        {
            if (kernels[ki] is not ConcatKernel cat) continue;
            var outType = plan.Types[cat.Output];
            int rank = outType.Rank;
            if (rank < 2 || Dims.Normalize(((Ttnn.Concat)cat.Op).Dim, rank) != rank - 2 || cat.Inputs.Length < 2) continue;
            var convs = new List<Conv1dKernel>();
            var slices = new List<SliceKernel>();
            var moves = new List<int>();
            int x = -1;
            foreach (var input in cat.Inputs)
            {
                int part = Behind(input, ki, kernels, producer, only, moves);
                if (part < 0 || !producer.TryGetValue(part, out var cs) || kernels[cs] is not Conv1dKernel c || c.Target != part
                    || (c.FusedSteps.Count > 0 && !c.OnlyChannelMerged)) break;
                if (!producer.TryGetValue(c.Inputs[0], out var ss) || only(c.Inputs[0]) != cs || kernels[ss] is not SliceKernel sl) break;
                if (x >= 0 && sl.Inputs[0] != x) break;
                x = sl.Inputs[0];
                convs.Add(c);
                slices.Add(sl);
            }
            if (convs.Count != cat.Inputs.Length) continue;
            if (convs.Any(c => c.OnlyChannelMerged) && !convs.All(c => c.OnlyChannelMerged)) continue;
            var xType = plan.Types[x];
            int xr = xType.Rank, lx = xType.Shape[xr - 2].Value;
            var first = convs[0].Conv;
            bool ok = first.BatchSize == 1 && xType.Shape[xr - 1].Value == first.InChannels;
            int position = 0;
            for (int i = 0; ok && i < convs.Count; i++)
            {
                var c = convs[i].Conv;
                var sl = (Ttnn.Slice)slices[i].Op;
                ok = c.Stride == 1 && c.BatchSize == 1 && c.Dilation == first.Dilation && c.KernelSize == first.KernelSize && c.Groups == first.Groups
                    && c.InChannels == first.InChannels && c.OutChannels == first.OutChannels
                    && convs[i].Inputs[1] == convs[0].Inputs[1] && convs[i].Inputs.Length == convs[0].Inputs.Length
                    && (convs[i].Inputs.Length < 3 || convs[i].Inputs[2] == convs[0].Inputs[2])
                    && (!convs[i].OnlyChannelMerged || convs[i].FusedSteps.Count == convs[0].FusedSteps.Count)
                    && Enumerable.Range(0, xr).All(d => d == xr - 2 || (sl.SliceStart[d] == 0 && sl.SliceEnd[d] == xType.Shape[d].Value && sl.SliceStep[d] == 1))
                    && sl.SliceStep[xr - 2] == 1
                    && (c.PadLeft == 0 || sl.SliceStart[xr - 2] == 0) && (c.PadRight == 0 || sl.SliceEnd[xr - 2] == lx)
                    && sl.SliceStart[xr - 2] - c.PadLeft + first.PadLeft == position; // where its outputs land in the whole conv's
                position += c.OutputLength;
            }
            var last = convs[^1].Conv;
            var whole = ok ? new Ttnn.Conv1d
            {
                InChannels = first.InChannels,
                OutChannels = first.OutChannels,
                BatchSize = 1,
                InputLength = lx,
                KernelSize = first.KernelSize,
                Stride = 1,
                Padding = [first.PadLeft, last.PadRight],
                Dilation = first.Dilation,
                Groups = first.Groups,
            } : null;
            if (whole is null || whole.OutputLength != position || position != outType.Shape[rank - 2].Value) continue;
            var absorbed = new List<int>(moves);
            foreach (var m in moves) kernels[m] = null;
            for (int i = 0; i < convs.Count; i++)
            {
                absorbed.Add(slices[i].Step);
                kernels[slices[i].Step] = null;
                if (i > 0)
                {
                    absorbed.Add(convs[i].Step);
                    kernels[convs[i].Step] = null;
                    convs[i].Release();
                }
            }
            absorbed.Add(ki);
            kernels[ki] = null;
            convs[0].MergeSlices(whole, x, cat.Output, absorbed);
            merged += absorbed.Count;
        }
        return merged;
    }

    private static int Other(BinaryKernel k, int id) => k.Inputs[0] == id ? k.Inputs[1] : k.Inputs[1] == id ? k.Inputs[0] : -1;

    private static Activation? ActivationOf(UnaryKernel u) => u.Code switch
    {
        VtUnaryOp.Relu => Activation.Relu,
        VtUnaryOp.LeakyRelu => Activation.LeakyRelu,
        VtUnaryOp.Tanh => Activation.Tanh,
        VtUnaryOp.Sigmoid => Activation.Sigmoid,
        _ => null,
    };

    /// <summary>[…, C] with every other dim 1: a value per output channel, broadcast over time.</summary>
    private static bool IsChannelVector(TensorType t, int channels)
    {
        var d = t.Shape.ToArray();
        return d.Length >= 1 && d[^1] == channels && d.Take(d.Length - 1).All(x => x == 1);
    }

    /// <summary>Whether a tensor of <paramref name="t"/> holds its values in the bytes a tensor of <paramref name="shape"/> would (same layout).</summary>
    private static bool SameOrder(TensorType t, int[] shape) =>
        Tensor.Count(t.Shape.ToArray()) == Tensor.Count(shape) && AliasKernel.SameBytes(t, t with { Shape = new Shape(shape) });

    /// <summary>WaveNet's gate on <paramref name="y"/> [.., 2h]: slice [0,h) → tanh, slice [h,2h) → sigmoid, multiply.</summary>
    private static (int[] Steps, int Output)? Gate(LoadedPlan plan, StepKernel?[] kernels, Dictionary<int, List<(int Step, int Operand)>> consumers,
        IReadOnlySet<int> keep, int y, int channels)
    {
        if (keep.Contains(y) || channels % 2 != 0 || !consumers.TryGetValue(y, out var cs) || cs.Count != 2) return null;
        int h = channels / 2, rank = plan.Types[y].Rank;
        int first = -1, second = -1;
        foreach (var (st, _) in cs)
        {
            if (kernels[st] is not SliceKernel sk) return null;
            var sl = (Ttnn.Slice)sk.Op;
            var dims = plan.Types[y].Shape.ToArray();
            bool whole = Enumerable.Range(0, rank - 1).All(i => sl.SliceStart[i] == 0 && sl.SliceEnd[i] == dims[i] && sl.SliceStep[i] == 1);
            if (!whole || sl.SliceStep[^1] != 1) return null;
            if (sl.SliceStart[^1] == 0 && sl.SliceEnd[^1] == h) first = st;
            else if (sl.SliceStart[^1] == h && sl.SliceEnd[^1] == channels) second = st;
        }
        if (first < 0 || second < 0) return null;
        int Next(int id) => !keep.Contains(id) && consumers.TryGetValue(id, out var l) && l.Count == 1 ? l[0].Step : -1;
        int t = Next(kernels[first]!.Output), g = Next(kernels[second]!.Output);
        if (t < 0 || g < 0 || kernels[t] is not UnaryKernel { Code: VtUnaryOp.Tanh } tanh || kernels[g] is not UnaryKernel { Code: VtUnaryOp.Sigmoid } sig) return null;
        int m = Next(tanh.Output);
        if (m < 0 || m != Next(sig.Output) || kernels[m] is not BinaryKernel { Code: VtBinaryOp.Mul } mul) return null;
        return ([.. new[] { first, second, t, g, m }.Order()], mul.Output);
    }

    private static bool IsFloatType(this DType t) => t is DType.F32 or DType.BF16 or DType.BFP8_B or DType.BFP4_B;
}
