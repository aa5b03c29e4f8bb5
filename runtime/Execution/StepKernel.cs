using VoxTile.IR;

namespace VoxTile.Runtime.Execution;

/// <summary>
/// One executable step, bound once at plan load: the native call with its attributes already converted (params
/// structs, opcodes, prepared weights), reading its operands from the tensor pool and writing the output tensor the
/// executor allocated as the plan's type says. A kernel that only reinterprets bytes (reshape, a move between memory
/// configs) declares <see cref="AliasOf"/> and the executor shares the operand's buffer instead of allocating.
/// </summary>
internal abstract class StepKernel
{
    protected StepKernel(int step, Op op, int[] inputs, int output)
    {
        Step = step;
        Op = op;
        Inputs = inputs;
        Output = output;
    }

    public int Step { get; }
    public Op Op { get; }
    public int[] Inputs { get; }
    public int Output { get; }

    /// <summary>The operand whose bytes the output reuses unchanged, or −1.</summary>
    public virtual int AliasOf => -1;

    /// <summary>The family shown in timings and traces (conv, eltwise, matmul, movement, layout, reduction, host).</summary>
    public abstract string Family { get; }

    /// <summary>Floating-point work of one run (1 MAC = 2 FLOPs), for GFLOP/s.</summary>
    public virtual double Flops => 0;

    public abstract void Run(TensorPool pool, DeviceTensor output, string what);

    /// <summary>Frees prepared native state (conv weights).</summary>
    public virtual void Release() { }
}

/// <summary>The running plan's tensors by id.</summary>
internal sealed class TensorPool(int count)
{
    private readonly DeviceTensor?[] _tensors = new DeviceTensor?[count];

    public DeviceTensor this[int id] =>
        _tensors[id] ?? throw new InvalidOperationException($"tensor {id} is read before it is written or after it is freed");

    public DeviceTensor? TryGet(int id) => _tensors[id];

    public void Set(int id, DeviceTensor t) => _tensors[id] = t;

    public DeviceTensor? Remove(int id)
    {
        var t = _tensors[id];
        _tensors[id] = null;
        return t;
    }

    public int Count => _tensors.Length;
}
