namespace VoxTile.Runtime.Execution.Kernels;

/// <summary>
/// Binds each step of a loaded plan to its kernel through the generated <see cref="KernelDispatch"/>: the op's
/// <c>[Kernel]</c> names the C symbol, the class marked <c>[BindsKernel]</c> with that symbol builds the step. A step
/// the native library cannot run becomes a <see cref="HostKernel"/>, which the executor refuses unless the host is
/// allowed (<see cref="ExecutorOptions.AllowHost"/>).
/// </summary>
internal static class KernelFactory
{
    public static StepKernel Create(LoadedPlan plan, int step, TensorPool weights)
    {
        var site = new KernelSite(plan, step, weights);
        if (HostReason(site) is not null) return new HostKernel(step, site.Op, site.Inputs, site.Output);
        return KernelDispatch.Bind(site) ?? throw new InvalidOperationException($"{site.What}: the dispatch lists {site.Op.Name} but binds nothing");
    }

    /// <summary>Why the step needs the host: "" when its op has no native kernel at all, the kernel's reason when it refuses this step, null when it runs natively.</summary>
    public static string? HostReason(KernelSite site) =>
        !KernelDispatch.Symbols.ContainsKey(site.Op.Name) ? "" : KernelDispatch.Refusal(site);
}
