namespace VoxTile.IR.Ops.Ttnn;

/// <summary>
/// The native kernel a <c>ttnn.*</c> op runs on in the CPU runtime, by its C ABI name in
/// <c>kernels/include/voxtile_kernels.h</c>: the entry point (<c>vt_conv1d</c>) and, for a family that takes an op
/// code, the code's enumerator (<c>[Kernel("vt_unary", "VT_UNARY_OP_TANH")]</c>). The runtime's dispatch is generated
/// from these: a symbol or code the bindings lack is a compile error there, not a failure at run time.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class KernelAttribute(string symbol, string? code = null) : Attribute
{
    public string Symbol { get; } = symbol;

    public string? Code { get; } = code;

    /// <summary>The kernel declared on <paramref name="op"/>'s class, or null when it has none.</summary>
    public static KernelAttribute? Of(Op op) =>
        (KernelAttribute?)GetCustomAttribute(op.GetType(), typeof(KernelAttribute), inherit: false);
}
