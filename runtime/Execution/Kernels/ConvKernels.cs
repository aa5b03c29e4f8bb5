using VoxTile.IR;
using VoxTile.Runtime.Native;
using Ttnn = VoxTile.IR.Ops.Ttnn;

namespace VoxTile.Runtime.Execution.Kernels;

/// <summary>
/// <c>ttnn.conv1d</c> on vt_conv1d: the input read as [N, L, C] channels-last (whichever of TTNN's forms the plan
/// gives), the output [1, 1, N·L_out, O] as [N, L_out, O]. The weights are prepared once per plan load
/// (vt_weights_create); bf16 math unless input and weights are both f32 (the fp32 debugging mode). The fusion pass
/// may fold an input pre-activation and row mask, an output activation, a residual add and an output row mask into
/// the call.
/// </summary>
[BindsKernel("vt_conv1d")]
internal sealed unsafe class Conv1dKernel : StepKernel
{
    public static StepKernel Bind(KernelSite s) =>
        new Conv1dKernel(s.Step, (Ttnn.Conv1d)s.Op, s.Inputs, s.Output, s.Weights[s.Inputs[1]], new(s.InputType(0).DType), s.What);

    /// <summary>vt_conv1d takes weights prepared once at load (vt_weights_create), so they must be the plan's own.</summary>
    public static string? Refuses(KernelSite s) => s.IsWeight(1) ? null : "for a weight computed at run time (vt_conv1d prepares its weights at load)";

    private Ttnn.Conv1d _conv;
    private WeightsHandle _weights;
    private float[]? _biasOverride;
    private readonly int _bias;
    private readonly List<int> _fused = [];

    public Conv1dKernel(int step, Ttnn.Conv1d op, int[] inputs, int output, DeviceTensor weight, DeviceTensorProbe input, string what)
        : base(step, op, inputs, output)
    {
        _conv = op;
        _bias = inputs.Length > 2 ? inputs[2] : -1;
        var math = input.DType == DType.F32 && weight.DType == DType.F32 ? DType.F32 : DType.BF16;
        _weights = NativeKernels.WeightsCreate(weight.View(), op.Groups, math, what);
    }

    public Activation InputActivation { get; private set; }
    public float InputSlope { get; private set; }
    public Activation OutputActivation { get; private set; }
    public float OutputSlope { get; private set; }
    public int Residual { get; private set; } = -1;

    /// <summary>A row mask (one value per input row: a frame mask) multiplied into the input after its activation, or −1.</summary>
    public int InputMask { get; private set; } = -1;

    /// <summary>A row mask (one value per output row) multiplied into the output last, after the residual, or −1.</summary>
    public int OutputMask { get; private set; } = -1;

    /// <summary>A per-channel vector added to the bias at run time (a conditioning add folded into the conv), or −1.</summary>
    public int BiasAdd { get; private set; } = -1;

    private float[]? _baseBias;

    /// <summary>The tensor the kernel writes when the fusion pass folded epilogue steps into it (else the conv's own output).</summary>
    public int FusedOutput { get; private set; } = -1;

    public override string Family => "conv";
    public override int Target => FusedOutput >= 0 ? FusedOutput : Output;
    public override IReadOnlyList<int> FusedSteps => _fused;
    public override IReadOnlyList<int> ExtraInputs => [.. new[] { Residual, BiasAdd, InputMask, OutputMask }.Where(i => i >= 0)];

    public override double Flops => 2.0 * _conv.BatchSize * _conv.OutputLength * _conv.OutChannels * (_conv.InChannels / _conv.Groups) * _conv.KernelSize;

    /// <summary>The convolution as it now runs (a merged time-sliced group runs as one conv over the whole input).</summary>
    public Ttnn.Conv1d Conv => _conv;

    /// <summary>Whether the only steps folded in so far are sibling convs of a channel concat (<see cref="MergeChannels"/>).</summary>
    public bool OnlyChannelMerged { get; private set; }

    /// <summary>
    /// Becomes the conv whose output channels are its siblings' side by side (the polyphase phases of a transposed
    /// conv, concatenated on channels): <paramref name="weights"/> holds their weights stacked, <paramref name="bias"/> their biases.
    /// </summary>
    public void MergeChannels(Ttnn.Conv1d merged, WeightsHandle weights, float[] bias, int output, IEnumerable<int> steps)
    {
        _weights.Dispose();
        _weights = weights;
        _conv = merged;
        _biasOverride = bias;
        FusedOutput = output;
        _fused.AddRange(steps);
        OnlyChannelMerged = true;
    }

    /// <summary>Becomes one conv over the whole of <paramref name="input"/>, writing <paramref name="output"/> (the slices' concat).</summary>
    public void MergeSlices(Ttnn.Conv1d merged, int input, int output, IEnumerable<int> steps)
    {
        _conv = merged;
        Inputs[0] = input;
        FusedOutput = output;
        _fused.AddRange(steps);
        OnlyChannelMerged = false;
    }

    public void FuseInputActivation(int step, Activation a, float slope)
    {
        OnlyChannelMerged = false;
        InputActivation = a;
        InputSlope = slope;
        _fused.Add(step);
    }

    /// <summary>Records a step whose work the call now does without it (a move of the input between fused steps).</summary>
    public void Absorb(int step)
    {
        OnlyChannelMerged = false;
        _fused.Add(step);
    }

    /// <summary>Folds the input's <c>multiply</c> by a row mask (step <paramref name="step"/>) into the staging of the input rows.</summary>
    public void FuseInputMask(int step, int mask)
    {
        OnlyChannelMerged = false;
        InputMask = mask;
        _fused.Add(step);
    }

    public void FuseBias(int step, int output, int vector)
    {
        OnlyChannelMerged = false;
        BiasAdd = vector;
        FusedOutput = output;
        _fused.Add(step);
    }

    public void FuseOutput(int step, int output, Activation? a = null, float slope = 0, int residual = -1, int mask = -1)
    {
        OnlyChannelMerged = false;
        if (a is { } act)
        {
            OutputActivation = act;
            OutputSlope = slope;
        }
        if (residual >= 0) Residual = residual;
        if (mask >= 0) OutputMask = mask;
        FusedOutput = output;
        _fused.Add(step);
    }

    public override void Run(TensorPool pool, DeviceTensor output, string what)
    {
        var p = new VtConv1dParams
        {
            Stride = _conv.Stride,
            Dilation = _conv.Dilation,
            PadLeft = _conv.PadLeft,
            PadRight = _conv.PadRight,
            InputActivation = (VtActivation)InputActivation,
            InputSlope = InputSlope,
            Activation = (VtActivation)OutputActivation,
            Slope = OutputSlope,
        };
        if (BiasAdd >= 0)
        {
            _baseBias ??= _biasOverride ?? (_bias >= 0 ? pool[_bias].Download().Data : new float[_conv.OutChannels]);
            var sum = pool[BiasAdd].Download().Data;
            for (int c = 0; c < sum.Length; c++) sum[c] += _baseBias[c];
            fixed (float* b = sum) Call(pool, output, what, p, NativeKernels.View((nint)b, [sum.Length], DType.F32, Layout.RowMajor));
            return;
        }
        if (_biasOverride is { } merged)
        {
            fixed (float* b = merged) Call(pool, output, what, p, NativeKernels.View((nint)b, [merged.Length], DType.F32, Layout.RowMajor));
            return;
        }
        Call(pool, output, what, p, _bias >= 0 ? pool[_bias].View() : null);
    }

    private void Call(TensorPool pool, DeviceTensor output, string what, VtConv1dParams p, VtTensor? bias)
    {
        var x = pool[Inputs[0]];
        int n = _conv.BatchSize;
        int outChannels = OutputActivation == Activation.GatedTanhSigmoid ? _conv.OutChannels / 2 : _conv.OutChannels;
        VtTensor? residual = Residual >= 0 ? pool[Residual].View([n, _conv.OutputLength, outChannels]) : null;
        // The masks are read as they are held (the kernel takes any shape with one value per row).
        VtTensor inputMask = InputMask >= 0 ? pool[InputMask].View() : default, outputMask = OutputMask >= 0 ? pool[OutputMask].View() : default;
        if (InputMask >= 0) p.InputMask = &inputMask;
        if (OutputMask >= 0) p.OutputMask = &outputMask;
        NativeKernels.Conv1d(x.View([n, _conv.InputLength, _conv.InChannels]), _weights, bias, residual, p,
            output.View([n, _conv.OutputLength, outChannels]), what);
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
