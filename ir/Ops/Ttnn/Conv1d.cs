using VoxTile.IR.Ops.Conv;

namespace VoxTile.IR.Ops.Ttnn;

/// <summary>
/// <c>ttnn.conv1d</c>: channels-last 1-D convolution. Input [N, L, 1, C] (tt-metal reshapes a rank &lt; 4 input to
/// this: H = L, W = 1), or flattened [1, 1, N·L, C], or [N, L, C]; weight [O, C/groups, K] on the host; optional bias
/// [1, 1, 1, O]. Output <b>[1, 1, N·L_out, O]</b>, like TTNN: reshape to [N, L_out, O] after. <c>padding</c> is
/// TTNN's <c>int | (left, right)</c>: one value for both sides or two. <c>activation</c> (with
/// <c>activation_param</c>, leaky_relu's slope) is the conv config's fused activation, applied to conv + bias: the
/// fuse pass sets it where a relu, leaky_relu, tanh or sigmoid is the conv's only reader.
/// <para><c>slice_type</c> and <c>num_slices</c> (<see cref="ConvSliceType"/>): a conv too large for L1 that TTNN slices
/// through DRAM, its input and output in DRAM. TTNN's conv1d has no <c>slice_config</c> (ttnn-api-notes.md §3), so such a
/// conv is emitted as the <c>ttnn.conv2d</c> that conv1d is: height 1 and width L (the docstring's form and the newest
/// conv1d.cpp's; the older test form is L by 1), which makes time the width, so the one slice type is
/// <see cref="ConvSliceType.Width"/>.</para>
/// <para><c>act_block_h</c> is the conv config's <c>act_block_h_override</c> (rows, a multiple of 32; 0: TTNN's default, one
/// core's whole output height): the rows of the im2col activation block, and of the partials, that a core computes at a
/// time. The planner sets it where the default block would not leave room beside the live tensors
/// (<c>ConvActBlocks</c>); it changes the CBs (<see cref="WorkingSetBytes"/>), not the values.</para>
/// </summary>
[Op("ttnn.conv1d", "input_tensor", "weight_tensor", "bias_tensor?")]
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
    [Attr(OmitDefault = true)] public ConvActivation Activation { get; init; } = ConvActivation.None;
    [Attr(OmitDefault = true)] public float ActivationParam { get; init; }
    [Attr(OmitDefault = true)] public ConvSliceType SliceType { get; init; } = ConvSliceType.None;
    [Attr(OmitDefault = true)] public int NumSlices { get; init; }
    [Attr(OmitDefault = true)] public int ActBlockH { get; init; }

    public bool IsDramSliced => SliceType != ConvSliceType.None;

    /// <summary>This conv with TTNN's DRAM slice config (<see cref="ConvSliceType.None"/> and 0: without); every other attribute kept.</summary>
    public Conv1d WithSlices(ConvSliceType type, int count) => new()
    {
        InChannels = InChannels, OutChannels = OutChannels, BatchSize = BatchSize, InputLength = InputLength, KernelSize = KernelSize,
        Stride = Stride, Padding = Padding, Dilation = Dilation, Groups = Groups, Activation = Activation, ActivationParam = ActivationParam,
        SliceType = type, NumSlices = count, ActBlockH = ActBlockH,
    };

    /// <summary>This conv with <c>act_block_h_override</c> = <paramref name="rows"/> (0: TTNN's default); every other attribute kept.</summary>
    public Conv1d WithActBlockH(int rows) => new()
    {
        InChannels = InChannels, OutChannels = OutChannels, BatchSize = BatchSize, InputLength = InputLength, KernelSize = KernelSize,
        Stride = Stride, Padding = Padding, Dilation = Dilation, Groups = Groups, Activation = Activation, ActivationParam = ActivationParam,
        SliceType = SliceType, NumSlices = NumSlices, ActBlockH = rows,
    };

    public int PadLeft => Padding.Length > 0 ? Padding[0] : 0;
    public int PadRight => Padding.Length > 1 ? Padding[1] : PadLeft;

    public int OutputLength => ConvLength.Forward(InputLength, KernelSize, Stride, PadLeft, PadRight, Dilation);

    public override TypeResult InferType(IReadOnlyList<TensorType> t)
    {
        if (TtnnConv.CountsError(("batch_size", BatchSize), ("in_channels", InChannels), ("out_channels", OutChannels), ("input_length", InputLength),
            ("kernel_size", KernelSize), ("stride", Stride), ("dilation", Dilation), ("groups", Groups)) is { } e) return TypeResult.Fail(e);
        if (Padding.Length is not (1 or 2) || Padding.Any(p => p < 0)) return TypeResult.Fail($"padding must be one value or (left, right), non-negative, got [{string.Join(",", Padding)}]");
        if (InChannels % Groups != 0 || OutChannels % Groups != 0) return TypeResult.Fail($"{InChannels} input and {OutChannels} output channels do not split into {Groups} groups");
        if (TtnnConv.InputError(t[0], BatchSize, InputLength, 1, InChannels, "[N, L, 1, C]", alsoNlc: true) is { } ie) return TypeResult.Fail(ie);
        if (!t[1].Shape.Equals(new Shape(OutChannels, InChannels / Groups, KernelSize)))
            return TypeResult.Fail($"weight_tensor must be [O, C/groups, K] = [{OutChannels}, {InChannels / Groups}, {KernelSize}], got {t[1]}");
        if (TtnnConv.BiasError(t, OutChannels) is { } be) return TypeResult.Fail(be);
        if (Activation != ConvActivation.None && !ConvActivations.IsTtnnFusable(Activation))
            return TypeResult.Fail($"activation {Activation} is not one a TTNN conv config fuses (relu, leaky_relu, tanh, sigmoid)");
        if (OutputLength <= 0) return TypeResult.Fail($"input length {InputLength} is shorter than the receptive field {Dilation * (KernelSize - 1) + 1}");
        if (ConvSlicing.Error(SliceType, NumSlices, OutputLength, "length") is { } se) return TypeResult.Fail(se);
        if (ActBlockH < 0 || ActBlockH % TtnnWorkingSet.Tile != 0)
            return TypeResult.Fail($"act_block_h must be a non-negative multiple of {TtnnWorkingSet.Tile} (TTNN's act_block_h_override), got {ActBlockH}");
        if (SliceType == ConvSliceType.Height)
            return TypeResult.Fail("a conv1d is sliced along its length, which is the width of the height-1 conv2d TTNN runs: slice_type must be width");
        return new TensorType(t[0].DType, new Shape(1, 1, BatchSize * OutputLength, OutChannels));
    }

    public override Tensor Evaluate(IReadOnlyList<Tensor> inputs)
    {
        var x = TtnnConv.ToNchw(inputs[0], BatchSize, InputLength, 1, InChannels).Reshape(BatchSize, InChannels, InputLength);
        var bias = inputs.Count > 2 ? inputs[2].Reshape(OutChannels) : null;
        var y = ConvReference.Conv1d(x, inputs[1], bias, Stride, PadLeft, PadRight, Dilation, Groups);
        var flat = TtnnConv.ToFlatNhwc(y.Reshape(BatchSize, OutChannels, OutputLength, 1));
        ConvActivations.Apply(Activation, ActivationParam, flat.Data);
        return flat;
    }

    public IReadOnlyList<OperandRequirement> OperandRequirements => TtnnConv.Requirements(tiledInput: Stride == 1);

    /// <summary>The conv's CBs and halo'd input; sliced through DRAM, those of one slice plus the slice's L1 input and output.</summary>
    public long WorkingSetBytes(IReadOnlyList<TensorType> inputs, TensorType output)
    {
        var bias = inputs.Count > 2 ? inputs[2] : null;
        long inner = (long)InChannels * KernelSize;
        long Halo(long rows) => rows * Stride + (long)Dilation * (KernelSize - 1);
        if (!IsDramSliced) return TtnnWorkingSet.Conv(inputs[0], inputs[1], bias, output, inner, Halo, ActBlockH / TtnnWorkingSet.Tile);
        int slice = ConvSlicing.SliceExtent(OutputLength, NumSlices);
        long inRows = (long)BatchSize * Math.Min(InputLength + PadLeft + PadRight, ConvSlicing.InputExtent(slice, Stride, Dilation, KernelSize));
        return TtnnWorkingSet.SlicedConv(inputs[0], inputs[1], bias, output, (long)BatchSize * slice, inRows, inner, Halo);
    }
}
