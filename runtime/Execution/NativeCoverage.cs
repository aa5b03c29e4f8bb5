using VoxTile.Runtime.Execution.Kernels;

namespace VoxTile.Runtime.Execution;

/// <summary>
/// Which steps of a plan the native kernels cannot run, decided from the plan alone (no weights uploaded, nothing
/// bound): what <c>voxtile compile</c> and the <see cref="Executor"/> refuse unless the host is allowed.
/// </summary>
public static class NativeCoverage
{
    public static IReadOnlyList<HostStep> HostSteps(LoadedPlan plan)
    {
        var none = new TensorPool(plan.Types.Count);
        var host = new List<HostStep>();
        for (int i = 0; i < plan.Steps.Count; i++)
        {
            if (plan.Steps[i].IsDeallocate) continue;
            if (KernelFactory.HostReason(new KernelSite(plan, i, none)) is { } reason)
                host.Add(new HostStep(i, plan.Steps[i].Op, plan.Steps[i].Origin, reason));
        }
        return host;
    }

    /// <summary>Throws the one-line refusal when the plan has a host step.</summary>
    public static void RequireNative(LoadedPlan plan)
    {
        var host = HostSteps(plan);
        if (host.Count > 0) throw new IR.VoxTileException(host[0].Refusal(host.Count));
    }

    /// <summary>The C symbol each op with a native kernel runs on, by op name (the generated dispatch's cases).</summary>
    public static IReadOnlyDictionary<string, string> Symbols => KernelDispatch.Symbols;
}
