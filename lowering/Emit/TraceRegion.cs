using VoxTile.Lowering.Plan;

namespace VoxTile.Lowering.Emit;

/// <summary>
/// The DRAM an emitted program reserves for its trace (<c>trace_region_size</c>): TTNN records every op's dispatch
/// commands (launch message, runtime args per core, circular-buffer and semaphore setup) into this region during
/// capture, and capture fails when they do not fit (the error names the size needed; the program's
/// <c>--trace-region-size</c> overrides the estimate).
/// </summary>
internal static class TraceRegion
{
    /// <summary>
    /// Bytes of trace per op. tt-metal's shallow UNet reserves 483,328 B (UNET_TRACE_REGION_SIZE in
    /// models/experimental/functional_unet/tests/common.py) for a traced forward of roughly 60–100 ops by our count
    /// of its blocks, about 5–8 KiB per op; we take twice the upper end, since our ops' runtime args can span the
    /// whole grid and the count is not measured.
    /// </summary>
    public const long BytesPerOp = 16 << 10;

    /// <summary>Headroom beyond the per-op estimate, for the few commands a trace adds around the ops.</summary>
    public const long Margin = 1 << 20;

    /// <summary>The ops the trace records: every step but the deallocations (which dispatch nothing to the device).</summary>
    public static int Ops(DevicePlan plan) => plan.Steps.Count(s => !s.IsDeallocate);

    /// <summary>The region for <paramref name="plan"/>'s trace, rounded up to a MiB.</summary>
    public static long Bytes(DevicePlan plan)
    {
        long raw = Ops(plan) * BytesPerOp + Margin;
        const long MiB = 1 << 20;
        return (raw + MiB - 1) / MiB * MiB;
    }
}
