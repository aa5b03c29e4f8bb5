using VoxTile.IR;
using VoxTile.Runtime.Native;
using Ttnn = VoxTile.IR.Ops.Ttnn;

namespace VoxTile.Runtime.Execution.Kernels;

/// <summary>One-operand SFPU ops on vt_unary: the op's code and its parameter (a slope) bound at load.</summary>
[BindsKernel("vt_unary")]
internal sealed class UnaryKernel(int step, Op op, int[] inputs, int output, VtUnaryOp code, float param) : StepKernel(step, op, inputs, output)
{
    public VtUnaryOp Code { get; } = code;
    public float Param { get; } = param;

    public override string Family => "eltwise";

    public override void Run(TensorPool pool, DeviceTensor output, string what) =>
        NativeKernels.Unary(Code, Param, pool[Inputs[0]].View(), output.View(), what);

    public static StepKernel Bind(KernelSite s, VtUnaryOp code) =>
        new UnaryKernel(s.Step, s.Op, s.Inputs, s.Output, code, s.Op is Ttnn.LeakyRelu l ? l.NegativeSlope : 0);

    /// <summary>vt_unary's softplus is TTNN's default one (beta 1, linear above 20).</summary>
    public static string? Refuses(KernelSite s) => s.Op is Ttnn.Softplus p && (p.Beta != 1f || p.Threshold != 20f)
        ? $"for softplus with beta {p.Beta} and threshold {p.Threshold} (vt_unary's has beta 1 and threshold 20)"
        : null;
}

/// <summary>Two-tensor ops on vt_binary (NumPy broadcasting to the output's shape; comparisons give 1/0).</summary>
[BindsKernel("vt_binary")]
internal sealed class BinaryKernel(int step, Op op, int[] inputs, int output, VtBinaryOp code) : StepKernel(step, op, inputs, output)
{
    public VtBinaryOp Code { get; } = code;

    public override string Family => "eltwise";

    public override void Run(TensorPool pool, DeviceTensor output, string what) =>
        NativeKernels.Binary(Code, pool[Inputs[0]].View(), pool[Inputs[1]].View(), output.View(), what);

    public static StepKernel Bind(KernelSite s, VtBinaryOp code) => new BinaryKernel(s.Step, s.Op, s.Inputs, s.Output, code);
}

/// <summary><c>ttnn.where</c> on vt_where.</summary>
[BindsKernel("vt_where")]
internal sealed class WhereKernel(int step, Op op, int[] inputs, int output) : StepKernel(step, op, inputs, output)
{
    public override string Family => "eltwise";

    public override void Run(TensorPool pool, DeviceTensor output, string what) =>
        NativeKernels.Where(pool[Inputs[0]].View(), pool[Inputs[1]].View(), pool[Inputs[2]].View(), output.View(), what);

    public static StepKernel Bind(KernelSite s) => new WhereKernel(s.Step, s.Op, s.Inputs, s.Output);
}
