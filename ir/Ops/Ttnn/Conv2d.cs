using VoxTile.IR.Ops.Conv;

namespace VoxTile.IR.Ops.Ttnn;

/// <summary>
/// <c>ttnn.conv2d</c>: channels-last 2-D convolution. Input [N, H, W, C] or flattened [1, 1, N·H·W, C]; weight
/// [O, C/groups, KH, KW] on the host (PyTorch's OIHW); optional bias [1, 1, 1, O]. Output <b>[1, 1, N·H_out·W_out, O]</b>.
/// <c>padding</c> is (pH, pW) or (top, bottom, left, right). <c>slice_type</c> and <c>num_slices</c> are TTNN's
/// <c>slice_config</c> (<see cref="ConvSliceType"/>): a conv too large for L1 that TTNN runs slice by slice through DRAM.
/// </summary>
[Op("ttnn.conv2d", "input_tensor", "weight_tensor", "bias_tensor?")]
[Kernel("vt_conv2d")]
public sealed partial class Conv2d : Op, ITtnnOp
{
    [Attr] public required int InChannels { get; init; }
    [Attr] public required int OutChannels { get; init; }
    [Attr] public required int BatchSize { get; init; }
    [Attr] public required int InputHeight { get; init; }
    [Attr] public required int InputWidth { get; init; }
    [Attr] public required int[] KernelSize { get; init; }
    [Attr] public int[] Stride { get; init; } = [1, 1];
    [Attr] public int[] Padding { get; init; } = [0, 0];
    [Attr] public int[] Dilation { get; init; } = [1, 1];
    [Attr] public int Groups { get; init; } = 1;
    [Attr(OmitDefault = true)] public ConvSliceType SliceType { get; init; } = ConvSliceType.None;
    [Attr(OmitDefault = true)] public int NumSlices { get; init; }

    public bool IsDramSliced => SliceType != ConvSliceType.None;

    /// <summary>This conv with TTNN's DRAM slice config (<see cref="ConvSliceType.None"/> and 0: without); every other attribute kept.</summary>
    public Conv2d WithSlices(ConvSliceType type, int count) => new()
    {
        InChannels = InChannels, OutChannels = OutChannels, BatchSize = BatchSize, InputHeight = InputHeight, InputWidth = InputWidth,
        KernelSize = KernelSize, Stride = Stride, Padding = Padding, Dilation = Dilation, Groups = Groups, SliceType = type, NumSlices = count,
    };

    /// <summary>(top, bottom, left, right).</summary>
    public int[] Pads => Padding.Length == 4 ? Padding : Padding.Length == 2 ? [Padding[0], Padding[0], Padding[1], Padding[1]] : [0, 0, 0, 0];

    public int OutputHeight => ConvLength.Forward(InputHeight, KernelSize[0], Stride[0], Pads[0], Pads[1], Dilation[0]);
    public int OutputWidth => ConvLength.Forward(InputWidth, KernelSize[1], Stride[1], Pads[2], Pads[3], Dilation[1]);

    public override TypeResult InferType(IReadOnlyList<TensorType> t)
    {
        if (KernelSize.Length != 2 || Stride.Length != 2 || Dilation.Length != 2 || Padding.Length is not (2 or 4))
            return TypeResult.Fail("kernel_size, stride and dilation need two values, padding two or four");
        if (TtnnConv.CountsError(("batch_size", BatchSize), ("in_channels", InChannels), ("out_channels", OutChannels), ("input_height", InputHeight),
            ("input_width", InputWidth), ("kernel_size", Math.Min(KernelSize[0], KernelSize[1])), ("stride", Math.Min(Stride[0], Stride[1])),
            ("dilation", Math.Min(Dilation[0], Dilation[1])), ("groups", Groups)) is { } e) return TypeResult.Fail(e);
        if (Padding.Any(p => p < 0)) return TypeResult.Fail($"padding must be non-negative, got [{string.Join(",", Padding)}]");
        if (InChannels % Groups != 0 || OutChannels % Groups != 0) return TypeResult.Fail($"{InChannels} input and {OutChannels} output channels do not split into {Groups} groups");
        if (TtnnConv.InputError(t[0], BatchSize, InputHeight, InputWidth, InChannels, "[N, H, W, C]") is { } ie) return TypeResult.Fail(ie);
        if (!t[1].Shape.Equals(new Shape(OutChannels, InChannels / Groups, KernelSize[0], KernelSize[1])))
            return TypeResult.Fail($"weight_tensor must be [O, C/groups, KH, KW] = [{OutChannels}, {InChannels / Groups}, {KernelSize[0]}, {KernelSize[1]}], got {t[1]}");
        if (TtnnConv.BiasError(t, OutChannels) is { } be) return TypeResult.Fail(be);
        if (OutputHeight <= 0 || OutputWidth <= 0) return TypeResult.Fail($"input {InputHeight}x{InputWidth} is smaller than the kernel's receptive field");
        var sliceError = SliceType == ConvSliceType.Width
            ? ConvSlicing.Error(SliceType, NumSlices, OutputWidth, "width")
            : ConvSlicing.Error(SliceType, NumSlices, OutputHeight, "height");
        if (sliceError is not null) return TypeResult.Fail(sliceError);
        return new TensorType(t[0].DType, new Shape(1, 1, BatchSize * OutputHeight * OutputWidth, OutChannels));
    }

    public override Tensor Evaluate(IReadOnlyList<Tensor> inputs)
    {
        var x = TtnnConv.ToNchw(inputs[0], BatchSize, InputHeight, InputWidth, InChannels);
        var p = Pads;
        int[] padding = [p[0], p[2]];
        if (p[0] != p[1] || p[2] != p[3])
        {
            x = new Pad { Padding = [[0, 0], [0, 0], [p[0], p[1]], [p[2], p[3]]], Value = 0f }.Evaluate([x]);
            padding = [0, 0];
        }
        var bias = inputs.Count > 2 ? inputs[2].Reshape(OutChannels) : null;
        return TtnnConv.ToFlatNhwc(ConvReference.Conv2d(x, inputs[1], bias, Stride, padding, Dilation, Groups));
    }

    public IReadOnlyList<OperandRequirement> OperandRequirements => TtnnConv.Requirements(tiledInput: Stride[0] == 1 && Stride[1] == 1);

    /// <summary>The conv's CBs and halo'd input; sliced through DRAM, those of one slice plus the slice's L1 input and output.</summary>
    public long WorkingSetBytes(IReadOnlyList<TensorType> inputs, TensorType output)
    {
        var bias = inputs.Count > 2 ? inputs[2] : null;
        long inner = (long)InChannels * KernelSize[0] * KernelSize[1];
        int outW = SliceType == ConvSliceType.Width ? ConvSlicing.SliceExtent(OutputWidth, NumSlices) : OutputWidth;
        int outH = SliceType == ConvSliceType.Height ? ConvSlicing.SliceExtent(OutputHeight, NumSlices) : OutputHeight;
        long inW = SliceType == ConvSliceType.Width ? Math.Min(InputWidth + Pads[2] + Pads[3], ConvSlicing.InputExtent(outW, Stride[1], Dilation[1], KernelSize[1])) : InputWidth + Pads[2] + Pads[3];
        long Halo(long pixels) => ((pixels + outW - 1) / outW * Stride[0] + (long)Dilation[0] * (KernelSize[0] - 1)) * inW;
        if (!IsDramSliced) return TtnnWorkingSet.Conv(inputs[0], inputs[1], bias, output, inner, Halo);
        long inH = SliceType == ConvSliceType.Height ? Math.Min(InputHeight + Pads[0] + Pads[1], ConvSlicing.InputExtent(outH, Stride[0], Dilation[0], KernelSize[0])) : InputHeight;
        return TtnnWorkingSet.SlicedConv(inputs[0], inputs[1], bias, output, (long)BatchSize * outH * outW, BatchSize * inH * inW, inner, Halo);
    }
}
