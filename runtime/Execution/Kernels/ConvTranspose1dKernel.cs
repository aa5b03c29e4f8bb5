using VoxTile.IR;
using VoxTile.Runtime.Native;
using Ttnn = VoxTile.IR.Ops.Ttnn;

namespace VoxTile.Runtime.Execution.Kernels;

/// <summary>
/// <c>ttnn.conv_transpose2d</c> in the height-1 form the lowering gives a ConvTranspose1d
/// (<c>LoweringOptions.ConvTransposeAsConvTranspose2d</c>: input [N, 1, W, C], weight [Cin, Cout/groups, 1, K]) on
/// vt_conv_transpose1d, which computes each output phase as its own GEMM and so never multiplies an inserted zero.
/// The weight is read back once at load, reversed when <c>mirror_kernel</c> is false (TTNN then takes it as already
/// flipped; the kernel is PyTorch's ConvTranspose1d) and split per phase by vt_conv_transpose_weights_create.
/// </summary>
[BindsKernel("vt_conv_transpose1d")]
internal sealed unsafe class ConvTranspose1dKernel : StepKernel
{
    private readonly Ttnn.ConvTranspose2d _conv;
    private readonly VtConvTranspose1dParams _geometry;
    private readonly WeightsHandle _weights;
    private readonly int _bias;

    private ConvTranspose1dKernel(KernelSite s, Ttnn.ConvTranspose2d op) : base(s.Step, op, s.Inputs, s.Output)
    {
        _conv = op;
        _bias = s.Inputs.Length > 2 ? s.Inputs[2] : -1;
        _geometry = new VtConvTranspose1dParams
        {
            Stride = op.Stride[1],
            Dilation = op.Dilation[1],
            Padding = op.Padding[1],
            OutputPadding = op.OutputPadding[1],
        };
        var weight = s.Weights[s.Inputs[1]];
        int k = op.KernelSize[1];
        var w = weight.Download().Data;
        if (!op.MirrorKernel)
            for (int row = 0; row < w.Length; row += k) Array.Reverse(w, row, k);
        var math = s.InputType(0).DType == DType.F32 && weight.DType == DType.F32 ? DType.F32 : DType.BF16;
        fixed (float* p = w)
            _weights = NativeKernels.ConvTransposeWeightsCreate(NativeKernels.View((nint)p, [op.InChannels, op.OutChannels / op.Groups, k], DType.F32, Layout.RowMajor),
                op.Groups, _geometry, math, s.What);
    }

    public static StepKernel Bind(KernelSite s) => new ConvTranspose1dKernel(s, (Ttnn.ConvTranspose2d)s.Op);

    /// <summary>vt_conv_transpose1d is one-dimensional and takes weights prepared at load.</summary>
    public static string? Refuses(KernelSite s)
    {
        var c = (Ttnn.ConvTranspose2d)s.Op;
        if (!s.IsWeight(1)) return "for a weight computed at run time (vt_conv_transpose1d prepares its weights at load)";
        if (c.InputHeight != 1 || c.KernelSize[0] != 1 || c.Padding[0] != 0 || c.OutputPadding[0] != 0)
            return $"for a {c.InputHeight}-row input with a {c.KernelSize[0]}x{c.KernelSize[1]} kernel (vt_conv_transpose1d runs the height-1 form only)";
        return null;
    }

    public override string Family => "conv";

    public override double Flops => 2.0 * _conv.BatchSize * _conv.InputWidth * _conv.InChannels * (_conv.OutChannels / _conv.Groups) * _conv.KernelSize[1];

    public override void Run(TensorPool pool, DeviceTensor output, string what)
    {
        var c = _conv;
        VtTensor? bias = _bias >= 0 ? pool[_bias].View() : null;
        NativeKernels.ConvTranspose1d(pool[Inputs[0]].View([c.BatchSize, c.InputWidth, c.InChannels]), _weights, bias, _geometry,
            output.View([c.BatchSize, c.OutputWidth, c.OutChannels]), what);
    }

    public override void Release() => _weights.Dispose();
}
