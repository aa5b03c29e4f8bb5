namespace VoxTile.Runtime.Execution;

/// <summary>How an <see cref="Executor"/> runs its plan. Each switch changes one thing.</summary>
public sealed record ExecutorOptions
{
    /// <summary>
    /// Run steps that no native kernel runs (<see cref="NativeCoverage"/>) on the host with their op's fp32 reference.
    /// Off by default: a plan with such a step is refused with one line naming it (<c>--allow-host</c>).
    /// </summary>
    public bool AllowHost { get; init; }

    /// <summary>Compare every op's output with its fp32 reference on the same inputs (<see cref="ReferenceCheck"/>).</summary>
    public bool Check { get; init; }

    /// <summary>The PCC below which the check flags an op (ttrt's golden default).</summary>
    public double CheckPcc { get; init; } = 0.99;

    /// <summary>Hold TILE tensors as tiles in host memory too (byte for byte as the device would); by default rows (<see cref="Executor.StoredType"/>).</summary>
    public bool PlanLayouts { get; init; }

    /// <summary>Threads of the native pool (≤ 0: one per core).</summary>
    public int Threads { get; init; }

    /// <summary>Where per-op events go, when set.</summary>
    public PerfettoTrace? Trace { get; init; }

    /// <summary>Tensor names whose values the caller wants to see (golden intermediates); the plan must still hold them (compile with them as outputs or unfused).</summary>
    public IReadOnlySet<string> Keep { get; init; } = new HashSet<string>();
}
