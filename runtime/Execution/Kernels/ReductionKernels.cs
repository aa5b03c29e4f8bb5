using VoxTile.IR;
using VoxTile.Runtime.Native;

namespace VoxTile.Runtime.Execution.Kernels;

/// <summary><c>ttnn.cumsum</c> and <c>ttnn.softmax</c>: one dim, on vt_cumsum / vt_softmax.</summary>
internal sealed class AlongDimKernel(int step, Op op, int[] inputs, int output, int dim) : StepKernel(step, op, inputs, output)
{
    public override string Family => "reduction";

    public override void Run(TensorPool pool, DeviceTensor output, string what)
    {
        if (Op is IR.Ops.Ttnn.Cumsum) NativeKernels.Cumsum(pool[Inputs[0]].View(), dim, output.View(), what);
        else NativeKernels.Softmax(pool[Inputs[0]].View(), dim, output.View(), what);
    }
}

/// <summary><c>ttnn.layer_norm</c> over the last dim, with the optional affine weight and bias read as [W].</summary>
internal sealed class LayerNormKernel(int step, IR.Ops.Ttnn.LayerNorm op, int[] inputs, int output) : StepKernel(step, op, inputs, output)
{
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
/// <c>ttnn.sum</c> and <c>ttnn.mean</c> over one dim, on vt_reduce (fp32 accumulation). The output keeps or drops the
/// dim as the op says; vt_reduce takes either. Several dims would need a chain of reductions: those stay on the host.
/// </summary>
internal sealed class ReduceKernel(int step, Op op, int[] inputs, int output, int dim) : StepKernel(step, op, inputs, output)
{
    public override string Family => "reduction";

    public static int? DimOf(Op op, int rank) => op switch
    {
        IR.Ops.Ttnn.Sum { Dim.Length: 1 } s => Dims.Normalize(s.Dim[0], rank),
        IR.Ops.Ttnn.Mean { Dim.Length: 1 } m => Dims.Normalize(m.Dim[0], rank),
        _ => null,
    };

    public override void Run(TensorPool pool, DeviceTensor output, string what) =>
        NativeKernels.Reduce(Op is IR.Ops.Ttnn.Mean ? VtReduceOp.Mean : VtReduceOp.Sum, pool[Inputs[0]].View(), dim, output.View(), what);
}
