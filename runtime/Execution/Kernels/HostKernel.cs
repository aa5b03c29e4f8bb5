using VoxTile.IR;

namespace VoxTile.Runtime.Execution.Kernels;

/// <summary>
/// A step no native kernel runs (an op the lowering left on the host, or a step its kernel refuses, such as a sum over
/// several dims): its fp32 reference on the operands read back, the result stored in the plan's dtype and layout. Only
/// with <see cref="ExecutorOptions.AllowHost"/>; counted apart in the timings, so a plan that leans on it shows.
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
