using VoxTile.IR;
using VoxTile.Runtime.Native;
using Ttnn = VoxTile.IR.Ops.Ttnn;

namespace VoxTile.Runtime.Execution.Kernels;

/// <summary><c>ttnn.matmul</c> and <c>ttnn.linear</c> (with its bias) on vt_matmul.</summary>
[BindsKernel("vt_matmul")]
internal sealed class MatmulKernel : StepKernel
{
    public static StepKernel Bind(KernelSite s) => new MatmulKernel(s.Step, s.Op, s.Inputs, s.Output, s.InputType(0), s.OutputType);

    private readonly bool _transposeA, _transposeB;
    private readonly double _flops;

    public MatmulKernel(int step, Op op, int[] inputs, int output, TensorType a, TensorType y) : base(step, op, inputs, output)
    {
        (_transposeA, _transposeB) = op switch
        {
            Ttnn.Matmul m => (m.TransposeA, m.TransposeB),
            Ttnn.Linear l => (l.TransposeA, l.TransposeB),
            _ => throw new ArgumentException(op.Name),
        };
        long k = _transposeA ? a.Shape[-2].Value : a.Shape[-1].Value;
        _flops = 2.0 * Tensor.Count(y.Shape.ToArray()) * k;
    }

    public override string Family => "matmul";
    public override double Flops => _flops;

    public override void Run(TensorPool pool, DeviceTensor output, string what)
    {
        var p = new VtMatmulParams { TransposeA = _transposeA ? 1 : 0, TransposeB = _transposeB ? 1 : 0 };
        VtTensor? bias = Inputs.Length > 2 ? pool[Inputs[2]].View() : null;
        NativeKernels.Matmul(pool[Inputs[0]].View(), pool[Inputs[1]].View(), bias, p, output.View(), what);
    }
}
