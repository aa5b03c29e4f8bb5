using VoxTile.IR;
using Ttnn = VoxTile.IR.Ops.Ttnn;

namespace VoxTile.Runtime.Execution.Kernels;

internal static class Dims
{
    public static int Normalize(int d, int rank) => d < 0 ? d + rank : d;
}

/// <summary><c>ttnn.pad</c> on vt_pad: TTNN's [(before, after)] per dim and the fill value.</summary>
[BindsKernel("vt_pad")]
internal sealed class PadKernel(int step, Ttnn.Pad op, int[] inputs, int output) : StepKernel(step, op, inputs, output)
{
    public static StepKernel Bind(KernelSite s) => new PadKernel(s.Step, (Ttnn.Pad)s.Op, s.Inputs, s.Output);

    private readonly long[] _before = [.. op.Padding.Select(p => (long)p[0])];
    private readonly long[] _after = [.. op.Padding.Select(p => (long)p[1])];

    public override string Family => "movement";

    public override void Run(TensorPool pool, DeviceTensor output, string what) =>
        NativeKernels.Pad(pool[Inputs[0]].View(), _before, _after, op.Value, output.View(), what);
}

/// <summary><c>ttnn.concat</c> on vt_concat.</summary>
[BindsKernel("vt_concat")]
internal sealed class ConcatKernel(int step, Ttnn.Concat op, int[] inputs, int output, int rank) : StepKernel(step, op, inputs, output)
{
    public static StepKernel Bind(KernelSite s) => new ConcatKernel(s.Step, (Ttnn.Concat)s.Op, s.Inputs, s.Output, s.OutputType.Rank);

    private readonly int _dim = Dims.Normalize(op.Dim, rank);

    public override string Family => "movement";

    public override void Run(TensorPool pool, DeviceTensor output, string what) =>
        NativeKernels.Concat([.. Inputs.Select(i => pool[i].View())], _dim, output.View(), what);
}

/// <summary><c>ttnn.slice</c> on vt_slice: begins and steps per dim, the extent from the output's shape.</summary>
[BindsKernel("vt_slice")]
internal sealed class SliceKernel(int step, Ttnn.Slice op, int[] inputs, int output) : StepKernel(step, op, inputs, output)
{
    public static StepKernel Bind(KernelSite s) => new SliceKernel(s.Step, (Ttnn.Slice)s.Op, s.Inputs, s.Output);

    private readonly long[] _begins = [.. op.SliceStart.Select(v => (long)v)];
    private readonly long[] _steps = [.. op.SliceStep.Select(v => (long)v)];

    public override string Family => "movement";

    public override void Run(TensorPool pool, DeviceTensor output, string what) =>
        NativeKernels.Slice(pool[Inputs[0]].View(), _begins, _steps, output.View(), what);
}

/// <summary><c>ttnn.permute</c> on vt_permute.</summary>
[BindsKernel("vt_permute")]
internal sealed class PermuteKernel(int step, Op op, int[] inputs, int output, int[] perm) : StepKernel(step, op, inputs, output)
{
    public override string Family => "movement";

    public override void Run(TensorPool pool, DeviceTensor output, string what) =>
        NativeKernels.Permute(pool[Inputs[0]].View(), perm, output.View(), what);

    public static StepKernel Bind(KernelSite s) =>
        new PermuteKernel(s.Step, s.Op, s.Inputs, s.Output, [.. ((Ttnn.Permute)s.Op).Dims.Select(d => Dims.Normalize(d, s.InputType(0).Rank))]);
}

/// <summary><c>ttnn.transpose</c> of two dims on vt_transpose.</summary>
[BindsKernel("vt_transpose")]
internal sealed class TransposeKernel(int step, Ttnn.Transpose op, int[] inputs, int output) : StepKernel(step, op, inputs, output)
{
    public override string Family => "movement";

    public override void Run(TensorPool pool, DeviceTensor output, string what) =>
        NativeKernels.Transpose(pool[Inputs[0]].View(), op.Dim1, op.Dim2, output.View(), what);

    public static StepKernel Bind(KernelSite s) => new TransposeKernel(s.Step, (Ttnn.Transpose)s.Op, s.Inputs, s.Output);
}

/// <summary><c>ttnn.embedding</c> on vt_embedding.</summary>
[BindsKernel("vt_embedding")]
internal sealed class EmbeddingKernel(int step, Op op, int[] inputs, int output) : StepKernel(step, op, inputs, output)
{
    public static StepKernel Bind(KernelSite s) => new EmbeddingKernel(s.Step, s.Op, s.Inputs, s.Output);

    public override string Family => "movement";

    public override void Run(TensorPool pool, DeviceTensor output, string what) =>
        NativeKernels.Embedding(pool[Inputs[0]].View(), pool[Inputs[1]].View(), output.View(), what);
}

/// <summary>
/// A step whose output holds the operand's bytes unchanged: a ROW_MAJOR reshape, a TILE reshape that keeps the
/// tile rows, a move between memory configs, a typecast or to_layout to what the tensor already is. The executor
/// shares the buffer; the device memory still accounts both tensors where the plan puts them.
/// </summary>
internal sealed class AliasKernel(int step, Op op, int[] inputs, int output) : StepKernel(step, op, inputs, output)
{
    public override int AliasOf => Inputs[0];
    public override string Family => Op is Ttnn.Reshape ? "movement" : "layout";

    public override void Run(TensorPool pool, DeviceTensor output, string what) { }

    /// <summary>Whether <paramref name="from"/> and <paramref name="to"/> lay the same values out in the same bytes.</summary>
    public static bool SameBytes(TensorType from, TensorType to)
    {
        if (from.DType != to.DType || (from.Layout ?? Layout.RowMajor) != (to.Layout ?? Layout.RowMajor)) return false;
        if ((to.Layout ?? Layout.RowMajor) == Layout.RowMajor) return true;
        int[] a = from.Shape.ToArray(), b = to.Shape.ToArray();
        if (a.Length == 0 || b.Length == 0) return a.Length == b.Length;
        if (a[^1] != b[^1]) return false;
        static (long Lead, int H) Rows(int[] s)
        {
            long lead = 1;
            for (int i = 0; i < s.Length - 2; i++) lead *= s[i];
            return (lead, s.Length >= 2 ? s[^2] : 1);
        }
        var (la, ha) = Rows(a);
        var (lb, hb) = Rows(b);
        return (ha % 32 == 0 && hb % 32 == 0) || (la == 1 && lb == 1 && ha == hb);
    }
}

/// <summary>
/// <c>ttnn.reshape</c> on vt_reshape: the same values in row-major order under the new shape. One that keeps the
/// bytes (a ROW_MAJOR reshape, or a TILE one that keeps the tile rows) shares the operand's buffer instead.
/// </summary>
[BindsKernel("vt_reshape")]
internal sealed class ReshapeKernel(int step, Op op, int[] inputs, int output) : StepKernel(step, op, inputs, output)
{
    public override string Family => "movement";

    public override void Run(TensorPool pool, DeviceTensor output, string what) =>
        NativeKernels.Reshape(pool[Inputs[0]].View(), output.View(), what);

    public static StepKernel Bind(KernelSite s) => AliasKernel.SameBytes(s.InputType(0), s.OutputType)
        ? new AliasKernel(s.Step, s.Op, s.Inputs, s.Output)
        : new ReshapeKernel(s.Step, s.Op, s.Inputs, s.Output);
}

/// <summary>
/// <c>ttnn.typecast</c>, <c>ttnn.to_layout</c> and <c>ttnn.to_memory_config</c> on vt_typecast (dtype and layout
/// conversion). One whose output has the operand's bytes shares the operand's buffer instead.
/// </summary>
[BindsKernel("vt_typecast")]
internal sealed class TypecastKernel(int step, Op op, int[] inputs, int output) : StepKernel(step, op, inputs, output)
{
    public static StepKernel Bind(KernelSite s) => AliasKernel.SameBytes(s.InputType(0), s.OutputType)
        ? new AliasKernel(s.Step, s.Op, s.Inputs, s.Output)
        : new TypecastKernel(s.Step, s.Op, s.Inputs, s.Output);

    public override string Family => "layout";

    public override void Run(TensorPool pool, DeviceTensor output, string what) =>
        NativeKernels.Typecast(pool[Inputs[0]].View(), output.View(), what);
}
