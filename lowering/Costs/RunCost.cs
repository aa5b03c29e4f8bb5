namespace VoxTile.Lowering.Costs;

/// <summary>
/// One run of a plan on its whole target, host included (<see cref="HostCost"/>): the chips run the one-chip program side by
/// side, so the device terms are one chip's; the transfers carry every chip's share over the host's PCIe links.
/// </summary>
public sealed record RunCost
{
    /// <summary>The cost model's device time of one chip's program (the sum of its steps).</summary>
    public double DeviceSeconds { get; init; }

    /// <summary>Device programs one chip runs (a conv runs more than one), each paying the op-to-op gap.</summary>
    public int DevicePrograms { get; init; }

    /// <summary>Host time to dispatch every op from Python without a trace.</summary>
    public double DispatchSeconds { get; init; }

    /// <summary>Bytes written to one chip (its inputs and noise draws) and read back from it (its outputs), per run.</summary>
    public long InputBytesPerChip { get; init; }
    public long OutputBytesPerChip { get; init; }

    /// <summary>Writing every chip's inputs (sharded on the batch dim) and reading every chip's outputs (gathered), host calls included.</summary>
    public double UploadSeconds { get; init; }
    public double ReadbackSeconds { get; init; }

    /// <summary>Inputs written, the trace replayed (device time plus the op-to-op gap per program), outputs read.</summary>
    public double TracedSeconds { get; init; }

    /// <summary>Inputs written, every op dispatched from Python while the device runs behind it, outputs read.</summary>
    public double UntracedSeconds { get; init; }

    public static RunCost DeviceOnly(double seconds) => new() { DeviceSeconds = seconds, TracedSeconds = seconds, UntracedSeconds = seconds };
}
