using VoxTile.IR;
using Ttnn = VoxTile.IR.Ops.Ttnn;

namespace VoxTile.Runtime.Execution.Kernels;

/// <summary>
/// Binds each step of a loaded plan to its kernel, one handler per op family (conv, eltwise, matmul, reduction,
/// movement, layout), as tt-mlir's runtime dispatches each flatbuffer op to <c>operations::&lt;family&gt;::run</c>.
/// Ops the native library lacks run on the host with their fp32 reference (<see cref="HostKernel"/>).
/// </summary>
internal static class KernelFactory
{
    public static StepKernel Create(LoadedPlan plan, int step, TensorPool weights)
    {
        var s = plan.Steps[step];
        var op = plan.Ops[step] ?? throw new ArgumentException("deallocate has no kernel");
        int[] ins = [.. s.Inputs];
        int o = s.Output;
        var types = plan.Types;
        var what = plan.Describe(step);
        switch (op)
        {
            case Ttnn.Conv1d or IR.Ops.Cpu.Conv1d when weights.TryGet(ins[1]) is { } w:
                return new Conv1dKernel(step, op, ins, o, w, Probe(types[ins[0]]), what);
            case Ttnn.Conv2d c when weights.TryGet(ins[1]) is { } w:
                return new Conv2dKernel(step, c, ins, o, w, Probe(types[ins[0]]), what);
            case Ttnn.Matmul or Ttnn.Linear:
                return new MatmulKernel(step, op, ins, o, types[ins[0]], types[o]);
            case Ttnn.Where:
                return new WhereKernel(step, op, ins, o);
            case Ttnn.Cumsum c:
                return new AlongDimKernel(step, op, ins, o, Dims.Normalize(c.Dim, types[ins[0]].Rank));
            case Ttnn.Sum or Ttnn.Mean when ReduceKernel.DimOf(op, types[ins[0]].Rank) is { } dim:
                return new ReduceKernel(step, op, ins, o, dim);
            case Ttnn.Softmax m:
                return new AlongDimKernel(step, op, ins, o, Dims.Normalize(m.Dim, types[ins[0]].Rank));
            case Ttnn.LayerNorm l:
                return new LayerNormKernel(step, l, ins, o);
            case Ttnn.Pad p:
                return new PadKernel(step, p, ins, o);
            case Ttnn.Concat c:
                return new ConcatKernel(step, c, ins, o, types[o].Rank);
            case Ttnn.Slice sl:
                return new SliceKernel(step, sl, ins, o);
            case Ttnn.Permute or Ttnn.Transpose:
                return new PermuteKernel(step, op, ins, o, PermuteKernel.Of(op, types[ins[0]].Rank));
            case Ttnn.Embedding:
                return new EmbeddingKernel(step, op, ins, o);
            case Ttnn.Reshape or Ttnn.ToMemoryConfig or Ttnn.ToLayout or Ttnn.Typecast:
                if (AliasKernel.SameBytes(types[ins[0]], types[o])) return new AliasKernel(step, op, ins, o);
                if (op is Ttnn.Reshape) return new RetileKernel(step, op, ins, o);
                return new TypecastKernel(step, op, ins, o);
        }
        if (op is Ttnn.TtnnUnaryOp && UnaryKernel.Of(op) is { } u) return new UnaryKernel(step, op, ins, o, u.Code, u.Param);
        if (UnaryKernel.Of(op) is { } u2 && ins.Length == 1) return new UnaryKernel(step, op, ins, o, u2.Code, u2.Param);
        if (BinaryKernel.Of(op) is { } b && ins.Length == 2) return new BinaryKernel(step, op, ins, o, b);
        return new HostKernel(step, op, ins, o);
    }

    private static DeviceTensorProbe Probe(TensorType t) => new(t.DType);
}

/// <summary>What a kernel needs to know about an operand at bind time, before any run has produced it.</summary>
internal readonly record struct DeviceTensorProbe(DType DType);
