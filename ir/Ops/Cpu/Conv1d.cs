using VoxTile.IR.Ops.Conv;
using VoxTile.IR.Ops.Ttnn;

namespace VoxTile.IR.Ops.Cpu;

/// <summary>
/// <c>cpu.conv1d</c>: the CPU target's convolution with everything its kernel (vt_conv1d) fuses around the GEMM, as
/// one plan step. Geometry, input forms and output form ([1, 1, N·L_out, O']) are <c>ttnn.conv1d</c>'s. In order:
/// <list type="number">
/// <item><c>input_activation</c> on every input value as it is read (a ResBlock's leaky_relu before its conv);</item>
/// <item><c>input_mask</c>: row l of the input times mask[l] (a frame mask, N·L values);</item>
/// <item>the convolution, plus <c>bias</c> [1, 1, 1, O] and <c>bias_add</c> (O values computed at run time: a
/// conditioning vector; or N·O, one vector per batch item);</item>
/// <item><c>activation</c>: relu, leaky_relu, tanh, sigmoid, or <c>gated_tanh_sigmoid</c>, WaveNet's
/// tanh(y[:, :O/2]) · sigmoid(y[:, O/2:]), which halves the channels (O' = O/2);</item>
/// <item><c>residual</c> added (N·L_out·O' values in the output's order);</item>
/// <item><c>output_mask</c>: row t times mask[t] (N·L_out values).</item>
/// </list>
/// The optional operands come in that order, each present when its <c>has_*</c> flag says so. Only the <c>cpu</c>
/// target's fuse rules make this op; a Tenstorrent plan never holds it (TTNN fuses just the activation, into
/// <c>ttnn.conv1d</c>). The reference runs each stage with the reference of the op it replaces, in the same order,
/// so a fused graph interprets exactly as the unfused one.
/// </summary>
[Op("cpu.conv1d", "input", "weight", "bias?", "bias_add?", "residual?", "input_mask?", "output_mask?")]
[Kernel("vt_conv1d")]
public sealed partial class Conv1d : Op, ITtnnOp
{
    [Attr] public required int InChannels { get; init; }
    [Attr] public required int OutChannels { get; init; }
    [Attr] public required int BatchSize { get; init; }
    [Attr] public required int InputLength { get; init; }
    [Attr] public required int KernelSize { get; init; }
    [Attr] public int Stride { get; init; } = 1;
    [Attr] public int[] Padding { get; init; } = [0, 0];
    [Attr] public int Dilation { get; init; } = 1;
    [Attr] public int Groups { get; init; } = 1;
    [Attr(OmitDefault = true)] public ConvActivation InputActivation { get; init; } = ConvActivation.None;
    [Attr(OmitDefault = true)] public float InputActivationParam { get; init; }
    [Attr(OmitDefault = true)] public ConvActivation Activation { get; init; } = ConvActivation.None;
    [Attr(OmitDefault = true)] public float ActivationParam { get; init; }
    [Attr(OmitDefault = true)] public bool HasBias { get; init; }
    [Attr(OmitDefault = true)] public bool HasBiasAdd { get; init; }
    [Attr(OmitDefault = true)] public bool HasResidual { get; init; }
    [Attr(OmitDefault = true)] public bool HasInputMask { get; init; }
    [Attr(OmitDefault = true)] public bool HasOutputMask { get; init; }

    public int PadLeft => Padding.Length > 0 ? Padding[0] : 0;
    public int PadRight => Padding.Length > 1 ? Padding[1] : PadLeft;
    public int OutputLength => ConvLength.Forward(InputLength, KernelSize, Stride, PadLeft, PadRight, Dilation);

    /// <summary>Channels of the result: half the conv's under the gate.</summary>
    public int ResultChannels => Activation == ConvActivation.GatedTanhSigmoid ? OutChannels / 2 : OutChannels;

    /// <summary>The operand slots present, in order (input and weight always).</summary>
    public Slot[] Slots => [Slot.Input, Slot.Weight, .. Present()];

    /// <summary>Where <paramref name="slot"/> sits among the node's operands, or −1 when absent.</summary>
    public int IndexOf(Slot slot) => Array.IndexOf(Slots, slot);

    private IEnumerable<Slot> Present()
    {
        if (HasBias) yield return Slot.Bias;
        if (HasBiasAdd) yield return Slot.BiasAdd;
        if (HasResidual) yield return Slot.Residual;
        if (HasInputMask) yield return Slot.InputMask;
        if (HasOutputMask) yield return Slot.OutputMask;
    }

    /// <summary>The geometry as a <c>ttnn.conv1d</c> (no activation).</summary>
    public Ttnn.Conv1d Geometry => new()
    {
        InChannels = InChannels,
        OutChannels = OutChannels,
        BatchSize = BatchSize,
        InputLength = InputLength,
        KernelSize = KernelSize,
        Stride = Stride,
        Padding = Padding,
        Dilation = Dilation,
        Groups = Groups,
    };

    public override TypeResult InferType(IReadOnlyList<TensorType> t)
    {
        var slots = Slots;
        if (t.Count != slots.Length)
            return TypeResult.Fail($"takes {slots.Length} operands ({string.Join(", ", slots.Select(s => s.ToString()))}) by its has_* flags, got {t.Count}");
        if (InputActivation == ConvActivation.GatedTanhSigmoid) return TypeResult.Fail("input_activation cannot be gated");
        if (Activation == ConvActivation.GatedTanhSigmoid && OutChannels % 2 != 0) return TypeResult.Fail($"a gated activation needs an even channel count, got {OutChannels}");
        var geometry = Geometry;
        var conv = geometry.InferType(HasBias ? [t[0], t[1], t[2]] : [t[0], t[1]]);
        if (!conv.Ok) return conv;
        long inRows = (long)BatchSize * InputLength, outRows = (long)BatchSize * OutputLength;
        string? Count(Slot s, long want)
        {
            int i = IndexOf(s);
            if (i < 0) return null;
            return t[i].DType.IsFloat() && t[i].Shape.IsFixed && Tensor.Count(t[i].Shape.ToArray()) == want ? null
                : $"{Snake(s)} must be a float tensor of {want} values, got {t[i]}";
        }
        var error = (BatchSize > 1 && Count(Slot.BiasAdd, (long)BatchSize * OutChannels) is null ? null : Count(Slot.BiasAdd, OutChannels)) ?? Count(Slot.Residual, outRows * ResultChannels) ?? Count(Slot.InputMask, inRows)
            ?? Count(Slot.OutputMask, outRows);
        if (error is not null) return TypeResult.Fail(error);
        return new TensorType(t[0].DType, new Shape(1, 1, (int)outRows, ResultChannels));
    }

    public override Tensor Evaluate(IReadOnlyList<Tensor> inputs)
    {
        Tensor Of(Slot s) => inputs[IndexOf(s)];
        int n = BatchSize, len = InputLength, c = InChannels, lout = OutputLength, o = OutChannels;
        // Input side, on the channels-last values: activation, then the row mask.
        var x = inputs[0].Reshape(n * len, c).Clone();
        ConvActivations.Apply(InputActivation, InputActivationParam, x.Data);
        if (HasInputMask)
        {
            var m = Of(Slot.InputMask).Data;
            for (int r = 0; r < n * len; r++)
                for (int k = 0; k < c; k++) x.Data[(long)r * c + k] *= m[r];
        }
        var y = Geometry.Evaluate(HasBias ? [x, inputs[1], Of(Slot.Bias)] : [x, inputs[1]]).Data; // [N·L_out, O]
        if (HasBiasAdd)
        {
            var b = Of(Slot.BiasAdd).Data;
            bool perItem = b.Length != o;
            for (long r = 0; r < (long)n * lout; r++)
                for (int k = 0; k < o; k++) y[r * o + k] += b[(perItem ? r / lout * o : 0) + k];
        }
        int oc = ResultChannels;
        float[] result;
        if (Activation == ConvActivation.GatedTanhSigmoid)
        {
            result = new float[(long)n * lout * oc];
            var tanh = new Tanh();
            var sigmoid = new Sigmoid();
            for (long r = 0; r < (long)n * lout; r++)
                for (int k = 0; k < oc; k++)
                    result[r * oc + k] = tanh.Apply(y[r * o + k]) * sigmoid.Apply(y[r * o + oc + k]);
        }
        else
        {
            ConvActivations.Apply(Activation, ActivationParam, y);
            result = y;
        }
        if (HasResidual)
        {
            var res = Of(Slot.Residual).Data;
            for (long i = 0; i < result.Length; i++) result[i] += res[i];
        }
        if (HasOutputMask)
        {
            var m = Of(Slot.OutputMask).Data;
            for (long r = 0; r < (long)n * lout; r++)
                for (int k = 0; k < oc; k++) result[r * oc + k] *= m[r];
        }
        return new Tensor([1, 1, n * lout, oc], result);
    }

    /// <summary>The operand slots of <c>cpu.conv1d</c>.</summary>
    public enum Slot { Input, Weight, Bias, BiasAdd, Residual, InputMask, OutputMask }

    private static string Snake(Slot s) => AttributeMap.Format(s);

    public IReadOnlyList<OperandRequirement> OperandRequirements =>
    [
        OperandRequirement.Device("input", LayoutRequirement.Any, false, DType.BF16, DType.F32),
        // bfp8_b weights are tiles in TTNN's prepared order, as for ttnn.conv1d (lowering's ConvWeightMatrix).
        OperandRequirement.Host("weight", DType.BF16, DType.F32, DType.BFP8_B) with { Layout = LayoutRequirement.Any },
        OperandRequirement.Host("bias", DType.BF16, DType.F32),
        OperandRequirement.Device("bias_add", LayoutRequirement.Any, false, OperandRequirement.Floats.ToArray()),
        OperandRequirement.Device("residual", LayoutRequirement.Any, false, OperandRequirement.Floats.ToArray()),
        OperandRequirement.Device("input_mask", LayoutRequirement.Any, false, OperandRequirement.Floats.ToArray()),
        OperandRequirement.Device("output_mask", LayoutRequirement.Any, false, OperandRequirement.Floats.ToArray()),
    ];

    /// <summary>The requirement of the node's operand at <paramref name="index"/>: its slot's, the absent ones skipped.</summary>
    public OperandRequirement RequirementOf(int index) => OperandRequirements[(int)Slots[index]];

    public long WorkingSetBytes(IReadOnlyList<TensorType> inputs, TensorType output) =>
        Geometry.WorkingSetBytes(HasBias ? [inputs[0], inputs[1], inputs[2]] : [inputs[0], inputs[1]], output);
}
