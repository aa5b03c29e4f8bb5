using VoxTile.IR.Ops.Conv;

namespace VoxTile.IR.Ops.Ttnn;

/// <summary>
/// <c>ttnn.conv_transpose2d</c>: channels-last transposed 2-D convolution. Input [N, H, W, C_in] or flattened
/// [1, 1, N·H·W, C_in]; weight [C_in, C_out/groups, KH, KW] on the host (PyTorch's order); optional bias
/// [1, 1, 1, C_out]. Output <b>[1, 1, N·H_out·W_out, C_out]</b> with H_out = (H−1)·s − 2p + d·(K−1) + output_padding + 1.
/// TTNN runs it as a convolution of the stride-dilated input, flipping the kernel first when <c>mirror_kernel</c>
/// (the binding's default, True): then it is PyTorch's ConvTranspose2d. With False the weight is taken as already
/// flipped, i.e. the result is PyTorch's with the kernel reversed in both spatial dims.
/// </summary>
[Op("ttnn.conv_transpose2d", "input_tensor", "weight_tensor", "bias_tensor?")]
[Kernel("vt_conv_transpose1d")]
public sealed partial class ConvTranspose2d : Op, ITtnnOp
{
    [Attr] public required int InChannels { get; init; }
    [Attr] public required int OutChannels { get; init; }
    [Attr] public required int BatchSize { get; init; }
    [Attr] public required int InputHeight { get; init; }
    [Attr] public required int InputWidth { get; init; }
    [Attr] public required int[] KernelSize { get; init; }
    [Attr] public int[] Stride { get; init; } = [1, 1];
    [Attr] public int[] Padding { get; init; } = [0, 0];
    [Attr] public int[] OutputPadding { get; init; } = [0, 0];
    [Attr] public int[] Dilation { get; init; } = [1, 1];
    [Attr] public int Groups { get; init; } = 1;
    [Attr] public bool MirrorKernel { get; init; } = true;

    public int OutputHeight => ConvLength.Transposed(InputHeight, KernelSize[0], Stride[0], Padding[0], OutputPadding[0], Dilation[0]);
    public int OutputWidth => ConvLength.Transposed(InputWidth, KernelSize[1], Stride[1], Padding[1], OutputPadding[1], Dilation[1]);

    public override TypeResult InferType(IReadOnlyList<TensorType> t)
    {
        if (KernelSize.Length != 2 || Stride.Length != 2 || Padding.Length != 2 || OutputPadding.Length != 2 || Dilation.Length != 2)
            return TypeResult.Fail("kernel_size, stride, padding, output_padding and dilation need two values");
        if (TtnnConv.CountsError(("batch_size", BatchSize), ("in_channels", InChannels), ("out_channels", OutChannels), ("input_height", InputHeight),
            ("input_width", InputWidth), ("kernel_size", Math.Min(KernelSize[0], KernelSize[1])), ("stride", Math.Min(Stride[0], Stride[1])),
            ("dilation", Math.Min(Dilation[0], Dilation[1])), ("groups", Groups)) is { } e) return TypeResult.Fail(e);
        if (Padding.Any(p => p < 0) || OutputPadding.Any(p => p < 0)) return TypeResult.Fail("padding and output_padding must be non-negative");
        if (OutputPadding[0] >= Math.Max(Stride[0], Dilation[0]) || OutputPadding[1] >= Math.Max(Stride[1], Dilation[1]))
            return TypeResult.Fail("output_padding must be smaller than stride or dilation");
        if (InChannels % Groups != 0 || OutChannels % Groups != 0) return TypeResult.Fail($"{InChannels} input and {OutChannels} output channels do not split into {Groups} groups");
        if (TtnnConv.InputError(t[0], BatchSize, InputHeight, InputWidth, InChannels, "[N, H, W, C]") is { } ie) return TypeResult.Fail(ie);
        if (!t[1].Shape.Equals(new Shape(InChannels, OutChannels / Groups, KernelSize[0], KernelSize[1])))
            return TypeResult.Fail($"weight_tensor must be [C_in, C_out/groups, KH, KW] = [{InChannels}, {OutChannels / Groups}, {KernelSize[0]}, {KernelSize[1]}], got {t[1]}");
        if (TtnnConv.BiasError(t, OutChannels) is { } be) return TypeResult.Fail(be);
        if (OutputHeight <= 0 || OutputWidth <= 0) return TypeResult.Fail($"the output would be empty ({OutputHeight}x{OutputWidth})");
        return new TensorType(t[0].DType, new Shape(1, 1, BatchSize * OutputHeight * OutputWidth, OutChannels));
    }

    /// <summary>The definition, scattered in double: input pixel (i, j) adds w·x at output (i·s − p + k·d, j·s − p + l·d).</summary>
    public override Tensor Evaluate(IReadOnlyList<Tensor> inputs)
    {
        Tensor x = inputs[0], w = inputs[1];
        int n = BatchSize, h = InputHeight, wd = InputWidth, cin = InChannels, cout = OutChannels;
        int kh = KernelSize[0], kw = KernelSize[1], cing = cin / Groups, coutg = cout / Groups;
        int oh = OutputHeight, ow = OutputWidth;
        var acc = new double[(long)n * oh * ow * cout];
        long work = (long)n * h * wd * cin * coutg * kh * kw;
        Par.For(n, work, b =>
        {
            for (int i = 0; i < h; i++)
                for (int j = 0; j < wd; j++)
                    for (int c = 0; c < cin; c++)
                    {
                        double xv = x.Data[(((long)b * h + i) * wd + j) * cin + c];
                        if (xv == 0) continue;
                        int g = c / cing;
                        for (int p = 0; p < kh; p++)
                        {
                            int r = i * Stride[0] - Padding[0] + p * Dilation[0];
                            if ((uint)r >= (uint)oh) continue;
                            int pw = MirrorKernel ? p : kh - 1 - p;
                            for (int q = 0; q < kw; q++)
                            {
                                int col = j * Stride[1] - Padding[1] + q * Dilation[1];
                                if ((uint)col >= (uint)ow) continue;
                                int qw = MirrorKernel ? q : kw - 1 - q;
                                long dst = (((long)b * oh + r) * ow + col) * cout + g * coutg;
                                long src = (((long)c * coutg) * kh + pw) * kw + qw;
                                for (int o = 0; o < coutg; o++) acc[dst + o] += xv * w.Data[src + (long)o * kh * kw];
                            }
                        }
                    }
        });
        var y = new Tensor([1, 1, n * oh * ow, cout]);
        for (long i = 0; i < acc.Length; i++) y.Data[i] = (float)(acc[i] + (inputs.Count > 2 ? inputs[2].Data[i % cout] : 0));
        return y;
    }

    public IReadOnlyList<OperandRequirement> OperandRequirements => TtnnConv.Requirements(tiledInput: false);

    /// <summary>As a conv over the stride-dilated, padded input: (s·(W−1)+1 + 2·(d·(K−1) − p) + output_padding) columns.</summary>
    public long WorkingSetBytes(IReadOnlyList<TensorType> inputs, TensorType output)
    {
        long dilatedWidth = Math.Max(1, (long)Stride[1] * (InputWidth - 1) + 1 + 2L * (Dilation[1] * (KernelSize[1] - 1) - Padding[1]) + OutputPadding[1]);
        return TtnnWorkingSet.Conv(inputs[0], inputs[1], inputs.Count > 2 ? inputs[2] : null, output, (long)InChannels * KernelSize[0] * KernelSize[1],
            pixels => ((pixels + OutputWidth - 1) / OutputWidth + (long)Dilation[0] * (KernelSize[0] - 1)) * dilatedWidth);
    }
}
