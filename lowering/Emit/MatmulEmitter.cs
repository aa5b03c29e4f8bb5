using VoxTile.IR.Ops.Ttnn;

namespace VoxTile.Lowering.Emit;

/// <summary>
/// <c>y = ttnn.matmul(a, b, transpose_b=True, dtype=…, memory_config=…, compute_kernel_config=…)</c> and
/// <c>ttnn.linear(a, b, bias=…)</c>: transposes only when set, the compute config from the operands' dtypes.
/// </summary>
internal sealed class MatmulEmitter : IOpEmitter
{
    public IReadOnlyCollection<string> Ops { get; } = ["ttnn.matmul", "ttnn.linear"];

    public string Emit(EmitStep s)
    {
        var (ta, tb) = s.Op switch
        {
            Matmul m => (m.TransposeA, m.TransposeB),
            Linear l => (l.TransposeA, l.TransposeB),
            _ => throw new InvalidOperationException($"{s.Op.Name} is not a matmul"),
        };
        string? bias = s.Op is Linear && s.InputCount > 2 ? "bias=" + s.In(2) : null;
        var compute = s.Context.ComputeConfig([s.InType(0).DType, s.InType(1).DType]);
        return s.Assign(s.Op.Name, s.In(0), s.In(1), bias, ta ? "transpose_a=True" : null, tb ? "transpose_b=True" : null,
            s.DTypeArgUnlessFrom(0), s.MemoryConfigArg, "compute_kernel_config=" + compute);
    }
}
