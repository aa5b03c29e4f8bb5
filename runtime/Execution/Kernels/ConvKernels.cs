using VoxTile.IR;
using VoxTile.Lowering.Targets;
using VoxTile.Runtime.Native;
using VoxTile.IR.Ops.Ttnn;
using Cpu = VoxTile.IR.Ops.Cpu;
using Ttnn = VoxTile.IR.Ops.Ttnn;

namespace VoxTile.Runtime.Execution.Kernels;

/// <summary>
/// <c>ttnn.conv1d</c> and <c>cpu.conv1d</c> on vt_conv1d: the input read as [N, L, C] channels-last (whichever of
/// TTNN's forms the plan gives), the output [1, 1, N·L_out, O'] as [N, L_out, O']. The weights are prepared once per
/// plan load (vt_weights_create); bf16 math unless input and weights are both f32 (the fp32 debugging mode). What the
/// call fuses is what the op says: ttnn.conv1d's activation; cpu.conv1d's input activation and mask, run-time bias
/// vector, activation or gate, residual and output mask (lowering/Rules/Fuse put them there). One plan step, one call.
/// </summary>
[BindsKernel("vt_conv1d")]
internal sealed unsafe class Conv1dKernel : StepKernel
{
    public static StepKernel Bind(KernelSite s) =>
        new Conv1dKernel(s.Step, s.Op, s.Inputs, s.Output, s.Weights[s.Inputs[1]], new(s.InputType(0).DType), s.What, AlgorithmFor(s.Plan.Target));

    /// <summary>vt_conv1d takes weights prepared once at load (vt_weights_create), so they must be the plan's own.</summary>
    public static string? Refuses(KernelSite s) => s.IsWeight(1) ? null : "for a weight computed at run time (vt_conv1d prepares its weights at load)";

    /// <summary>
    /// The <c>cpu</c> target's plans run the fastest convolution for the shape (Winograd F(m, K) where it wins, within
    /// its error bound); a Tenstorrent plan run on the CPU checks what the device would compute, so its convs keep
    /// TTNN's numerics (direct: each bf16 product exact, fp32 sums).
    /// </summary>
    public static VtConv1dAlgorithm AlgorithmFor(TargetSpec target) =>
        target.Name == TargetSpec.Cpu.Name ? VtConv1dAlgorithm.Fastest : VtConv1dAlgorithm.Direct;

    private readonly IR.Ops.Ttnn.Conv1d _conv;
    private readonly WeightsHandle _weights;
    private readonly VtConv1dParams _params;
    private readonly int _bias = -1, _biasAdd = -1, _residual = -1, _inputMask = -1, _outputMask = -1;
    private readonly int _resultChannels;
    private float[]? _baseBias;

    public Conv1dKernel(int step, Op op, int[] inputs, int output, DeviceTensor weight, DeviceTensorProbe input, string what,
        VtConv1dAlgorithm algorithm = VtConv1dAlgorithm.Direct)
        : base(step, op, inputs, output)
    {
        ConvActivation inAct = ConvActivation.None, act;
        float inParam = 0, param;
        switch (op)
        {
            case IR.Ops.Ttnn.Conv1d t:
                _conv = t;
                (act, param) = (t.Activation, t.ActivationParam);
                if (inputs.Length > 2) _bias = inputs[2];
                break;
            case Cpu.Conv1d c:
                _conv = c.Geometry;
                (inAct, inParam, act, param) = (c.InputActivation, c.InputActivationParam, c.Activation, c.ActivationParam);
                int At(Cpu.Conv1d.Slot s) => c.IndexOf(s) is var i and >= 0 ? inputs[i] : -1;
                (_bias, _biasAdd, _residual, _inputMask, _outputMask) =
                    (At(Cpu.Conv1d.Slot.Bias), At(Cpu.Conv1d.Slot.BiasAdd), At(Cpu.Conv1d.Slot.Residual), At(Cpu.Conv1d.Slot.InputMask), At(Cpu.Conv1d.Slot.OutputMask));
                break;
            default:
                throw new ArgumentException($"{op.Name} is not a 1-D convolution");
        }
        _resultChannels = act == ConvActivation.GatedTanhSigmoid ? _conv.OutChannels / 2 : _conv.OutChannels;
        _params = new VtConv1dParams
        {
            Stride = _conv.Stride,
            Dilation = _conv.Dilation,
            PadLeft = _conv.PadLeft,
            PadRight = _conv.PadRight,
            InputActivation = Vt(inAct),
            InputSlope = inParam,
            Activation = Vt(act),
            Slope = param,
            Algorithm = algorithm,
        };
        var math = input.DType == DType.F32 && weight.DType == DType.F32 ? DType.F32 : DType.BF16;
        _weights = NativeKernels.WeightsCreate(weight.View(), _conv.Groups, math, what);
    }

    public override string Family => "conv";

    /// <summary>How vt_conv1d computes this step (<see cref="AlgorithmFor"/>).</summary>
    public VtConv1dAlgorithm Algorithm => _params.Algorithm;

    public override double Flops => 2.0 * _conv.BatchSize * _conv.OutputLength * _conv.OutChannels * (_conv.InChannels / _conv.Groups) * _conv.KernelSize;

    /// <summary>The activation as the kernel ABI names it.</summary>
    private static VtActivation Vt(ConvActivation a) => a switch
    {
        ConvActivation.None => VtActivation.None,
        ConvActivation.Relu => VtActivation.Relu,
        ConvActivation.LeakyRelu => VtActivation.LeakyRelu,
        ConvActivation.Tanh => VtActivation.Tanh,
        ConvActivation.Sigmoid => VtActivation.Sigmoid,
        ConvActivation.GatedTanhSigmoid => VtActivation.GatedTanhSigmoid,
        _ => throw new ArgumentOutOfRangeException(nameof(a)),
    };

    public override void Run(TensorPool pool, DeviceTensor output, string what)
    {
        var p = _params;
        if (_biasAdd >= 0)
        {
            // The run-time vector joins the bias in fp32, as the kernel's accumulator would add them; a batch's
            // vector holds one per item (vt_conv1d then takes a bias per item), each joined as a batch of one joins its.
            _baseBias ??= _bias >= 0 ? pool[_bias].Download().Data : new float[_conv.OutChannels];
            var sum = pool[_biasAdd].Download().Data;
            for (int c = 0; c < sum.Length; c++) sum[c] += _baseBias[c % _baseBias.Length];
            fixed (float* b = sum) Call(pool, output, what, p, NativeKernels.View((nint)b, [sum.Length], DType.F32, Layout.RowMajor));
            return;
        }
        Call(pool, output, what, p, _bias >= 0 ? pool[_bias].View() : null);
    }

    private void Call(TensorPool pool, DeviceTensor output, string what, VtConv1dParams p, VtTensor? bias)
    {
        var x = pool[Inputs[0]];
        int n = _conv.BatchSize;
        VtTensor? residual = _residual >= 0 ? pool[_residual].View([n, _conv.OutputLength, _resultChannels]) : null;
        // The masks are read as they are held (the kernel takes any shape with one value per row).
        VtTensor inputMask = _inputMask >= 0 ? pool[_inputMask].View() : default, outputMask = _outputMask >= 0 ? pool[_outputMask].View() : default;
        if (_inputMask >= 0) p.InputMask = &inputMask;
        if (_outputMask >= 0) p.OutputMask = &outputMask;
        NativeKernels.Conv1d(x.View([n, _conv.InputLength, _conv.InChannels]), _weights, bias, residual, p,
            output.View([n, _conv.OutputLength, _resultChannels]), what);
    }

    public override void Release() => _weights.Dispose();
}

/// <summary><c>ttnn.conv2d</c> on vt_conv2d: input [N, H, W, C], output [N, H_out, W_out, O]; weights prepared once.</summary>
[BindsKernel("vt_conv2d")]
internal sealed class Conv2dKernel : StepKernel
{
    public static StepKernel Bind(KernelSite s) =>
        new Conv2dKernel(s.Step, (Ttnn.Conv2d)s.Op, s.Inputs, s.Output, s.Weights[s.Inputs[1]], new(s.InputType(0).DType), s.What);

    /// <summary>vt_conv2d takes weights prepared once at load (vt_weights_create), so they must be the plan's own.</summary>
    public static string? Refuses(KernelSite s) => s.IsWeight(1) ? null : "for a weight computed at run time (vt_conv2d prepares its weights at load)";

    private readonly Ttnn.Conv2d _conv;
    private readonly WeightsHandle _weights;
    private readonly int _bias;

    public Conv2dKernel(int step, Ttnn.Conv2d op, int[] inputs, int output, DeviceTensor weight, DeviceTensorProbe input, string what)
        : base(step, op, inputs, output)
    {
        _conv = op;
        _bias = inputs.Length > 2 ? inputs[2] : -1;
        var math = input.DType == DType.F32 && weight.DType == DType.F32 ? DType.F32 : DType.BF16;
        _weights = NativeKernels.WeightsCreate(weight.View(), op.Groups, math, what);
    }

    public override string Family => "conv";

    public override double Flops => 2.0 * _conv.BatchSize * _conv.OutputHeight * _conv.OutputWidth * _conv.OutChannels
        * (_conv.InChannels / _conv.Groups) * _conv.KernelSize[0] * _conv.KernelSize[1];

    public override void Run(TensorPool pool, DeviceTensor output, string what)
    {
        var c = _conv;
        var pads = c.Pads;
        var p = new VtConv2dParams
        {
            StrideH = c.Stride[0],
            StrideW = c.Stride[1],
            DilationH = c.Dilation[0],
            DilationW = c.Dilation[1],
            PadTop = pads[0],
            PadBottom = pads[1],
            PadLeft = pads[2],
            PadRight = pads[3],
        };
        VtTensor? bias = _bias >= 0 ? pool[_bias].View() : null;
        NativeKernels.Conv2d(pool[Inputs[0]].View([c.BatchSize, c.InputHeight, c.InputWidth, c.InChannels]), _weights, bias, p,
            output.View([c.BatchSize, c.OutputHeight, c.OutputWidth, c.OutChannels]), what);
    }

    public override void Release() => _weights.Dispose();
}
