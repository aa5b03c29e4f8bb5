namespace VoxTile.Runtime.Execution.Kernels;

/// <summary>
/// Marks the runtime class that calls a native kernel symbol (<c>vt_unary</c>): every op whose
/// <see cref="IR.Ops.Ttnn.KernelAttribute"/> names that symbol is dispatched to the class's
/// <c>static StepKernel Bind(KernelSite site)</c>, or to <c>Bind(KernelSite site, TCode code)</c> with the op's code as
/// the bindings' enum member when the op names one. An optional <c>static string? Refuses(KernelSite site)</c> says why
/// the kernel cannot run a particular step (the step then needs the host). <see cref="KernelDispatch"/> is generated.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
internal sealed class BindsKernelAttribute(string symbol) : Attribute
{
    public string Symbol { get; } = symbol;
}
