using VoxTile.IR;

namespace VoxTile.Runtime.Execution.Kernels;

/// <summary>
/// An op with no native kernel (a host op the planner left on the host, or a ttnn op the kernels lack, such as
/// a sum over several dims, or conv_transpose2d): its fp32 reference on the operands read back, the result stored in the
/// plan's dtype and layout. Counted apart in the timings, so a plan that leans on it shows.
/// </summary>
internal sealed class HostKernel(int step, Op op, int[] inputs, int output) : StepKernel(step, op, inputs, output)
{
    public override string Family => "host";

    public override void Run(TensorPool pool, DeviceTensor output, string what)
    {
        var args = Inputs.Select(i => pool[i].Download()).ToArray();
        Tensor y;
        try { y = Op.Evaluate(args); }
        catch (VoxTileException e) { throw new VoxTileException($"{what}: {e.Message}", e); }
        if (y.Length != output.Count) throw new VoxTileException($"{what}: the host op gave {y.ShapeString}, the plan expects {output.Type}");
        output.Upload(y.Data);
    }
}
