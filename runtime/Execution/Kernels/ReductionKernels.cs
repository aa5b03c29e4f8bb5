using VoxTile.IR;
using VoxTile.Runtime.Native;

namespace VoxTile.Runtime.Execution.Kernels;

/// <summary><c>ttnn.cumsum</c> along one dim on vt_cumsum.</summary>
[BindsKernel("vt_cumsum")]
internal sealed class CumsumKernel(int step, Op op, int[] inputs, int output, int dim) : StepKernel(step, op, inputs, output)
{
    public override string Family => "reduction";

    public override void Run(TensorPool pool, DeviceTensor output, string what) => NativeKernels.Cumsum(pool[Inputs[0]].View(), dim, output.View(), what);

    public static StepKernel Bind(KernelSite s) =>
        new CumsumKernel(s.Step, s.Op, s.Inputs, s.Output, Dims.Normalize(((IR.Ops.Ttnn.Cumsum)s.Op).Dim, s.InputType(0).Rank));
}

/// <summary><c>ttnn.softmax</c> along one dim on vt_softmax.</summary>
[BindsKernel("vt_softmax")]
internal sealed class SoftmaxKernel(int step, Op op, int[] inputs, int output, int dim) : StepKernel(step, op, inputs, output)
{
    public override string Family => "reduction";

    public override void Run(TensorPool pool, DeviceTensor output, string what) => NativeKernels.Softmax(pool[Inputs[0]].View(), dim, output.View(), what);

    public static StepKernel Bind(KernelSite s) =>
        new SoftmaxKernel(s.Step, s.Op, s.Inputs, s.Output, Dims.Normalize(((IR.Ops.Ttnn.Softmax)s.Op).Dim, s.InputType(0).Rank));
}

/// <summary><c>ttnn.layer_norm</c> over the last dim, with the optional affine weight and bias read as [W].</summary>
[BindsKernel("vt_layer_norm")]
internal sealed class LayerNormKernel(int step, IR.Ops.Ttnn.LayerNorm op, int[] inputs, int output) : StepKernel(step, op, inputs, output)
{
    public static StepKernel Bind(KernelSite s) => new LayerNormKernel(s.Step, (IR.Ops.Ttnn.LayerNorm)s.Op, s.Inputs, s.Output);

    public override string Family => "reduction";

    public override void Run(TensorPool pool, DeviceTensor output, string what)
    {
        var x = pool[Inputs[0]];
        int w = x.Shape[^1];
        var gamma = Inputs.Length > 1 ? Flat(pool[Inputs[1]], w) : (VtTensor?)null;
        var beta = Inputs.Length > 2 ? Flat(pool[Inputs[2]], w) : (VtTensor?)null;
        NativeKernels.LayerNorm(x.View(), gamma, beta, op.Epsilon, output.View(), what);
    }

    // [W], [1, W] or [1, 1, 1, W]: a row-major one reads as [W]; a tiled one is passed as it is.
    private static VtTensor Flat(DeviceTensor t, int w) => t.Layout == Layout.RowMajor ? t.View([w]) : t.View();
}

/// <summary>
/// <c>ttnn.sum</c> and <c>ttnn.mean</c> over one dim, on vt_reduce (fp32 accumulation) with the op's code. The output
/// keeps or drops the dim as the op says; vt_reduce takes either.
/// </summary>
[BindsKernel("vt_reduce")]
internal sealed class ReduceKernel(int step, Op op, int[] inputs, int output, VtReduceOp code, int dim) : StepKernel(step, op, inputs, output)
{
    public override string Family => "reduction";

    public override void Run(TensorPool pool, DeviceTensor output, string what) =>
        NativeKernels.Reduce(code, pool[Inputs[0]].View(), dim, output.View(), what);

    public static StepKernel Bind(KernelSite s, VtReduceOp code) =>
        new ReduceKernel(s.Step, s.Op, s.Inputs, s.Output, code, Dims.Normalize(DimsOf(s.Op)[0], s.InputType(0).Rank));

    /// <summary>vt_reduce reduces one dim per call; the lowering emits one-dim reductions only.</summary>
    public static string? Refuses(KernelSite s) =>
        DimsOf(s.Op).Length == 1 ? null : $"for a {s.Op.Name} over {DimsOf(s.Op).Length} dims (vt_reduce reduces one)";

    private static int[] DimsOf(Op op) => op switch
    {
        IR.Ops.Ttnn.Sum sum => sum.Dim,
        IR.Ops.Ttnn.Mean mean => mean.Dim,
        _ => throw new ArgumentException($"{op.Name} is not a reduction"),
    };
}
