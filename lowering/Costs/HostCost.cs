using VoxTile.IR.Text;
using VoxTile.Lowering.Plan;
using VoxTile.Lowering.Planning;
using VoxTile.Lowering.Targets;

namespace VoxTile.Lowering.Costs;

/// <summary>
/// The latency of one run of a plan with the host in it (<see cref="HostRates"/> for the figures and their sources):
/// <list type="bullet">
/// <item><b>Transfers</b>: every plan input (noise draws included: the program draws them on the host) is written
/// before the run and every output read after it, each one host call plus its bytes as laid out on the device over
/// PCIe. On a mesh each chip takes its share of the batch, so the mesh moves chips × one chip's bytes, spread over
/// the links the chips hang from (<see cref="TargetSpec.PcieLinks"/>: an n300's two chips share one).</item>
/// <item><b>Traced</b>: one <c>execute_trace</c> call, then the device runs every program back to back with the
/// op-to-op gap between them.</item>
/// <item><b>Untraced</b>: the host dispatches op after op while the device runs behind it: a program starts when the
/// host has dispatched it and the previous one has finished (plus the gap), so the run is host-bound where dispatch
/// outweighs the device time and device-bound elsewhere. A mesh dispatches each op once for all its chips (TTNN's
/// mesh workload), taken at one chip's host time (inference: the per-chip command writes are not modeled).</item>
/// </list>
/// Deallocations free a buffer in the host's allocator and run no program: they cost neither term. A reshape TTNN
/// runs as a view (<see cref="ReshapeViews"/>) is a host call that runs no program: dispatch, no gap. Weights are
/// uploaded (replicated to every chip) once when the program loads, not per run: <see cref="MeshCost"/> counts them.
/// </summary>
public static class HostCost
{
    public static RunCost Of(DevicePlan plan, TargetSpec target)
    {
        double device = 0, dispatch = 0, gapTime = 0, hostDone = 0, deviceEnd = 0;
        int programs = 0;
        double gap = target.IsTenstorrent ? HostRates.OpToOpGapSeconds(target) : 0;
        foreach (var s in plan.Steps)
        {
            if (s.IsDeallocate) continue;
            device += s.ModeledSeconds;
            int p = ReshapeViews.IsView(plan, s) ? 0 : HostRates.Programs(s.Op, DramSlices(s)); // a view runs no program
            programs += p;
            gapTime += p * gap;
            double host = HostRates.UntracedDispatchSeconds(s.Op);
            dispatch += host;
            hostDone += host;
            deviceEnd = Math.Max(deviceEnd + p * gap, hostDone) + s.ModeledSeconds;
        }
        if (!target.IsTenstorrent) return RunCost.DeviceOnly(device); // the CPU runtime: no card, no dispatch, no PCIe

        long inBytes = plan.Inputs.Sum(i => Bytes(plan.Tensor(i)));
        long outBytes = plan.Outputs.Sum(o => Bytes(plan.Tensor(o)));
        double upload = Transfer(plan.Inputs.Count, inBytes, target);
        double readback = Transfer(plan.Outputs.Count, outBytes, target);
        return new RunCost
        {
            DeviceSeconds = device,
            DevicePrograms = programs,
            DispatchSeconds = dispatch,
            InputBytesPerChip = inBytes,
            OutputBytesPerChip = outBytes,
            UploadSeconds = upload,
            ReadbackSeconds = readback,
            TracedSeconds = upload + HostRates.ExecuteTraceSeconds + device + gapTime + readback,
            UntracedSeconds = upload + deviceEnd + readback,
        };
    }

    /// <summary>The slices TTNN runs a conv step in through DRAM (its <c>num_slices</c>), 0 for any other step.</summary>
    public static int DramSlices(PlanStep s) =>
        s.Attributes.TryGetValue("num_slices", out var n) && int.TryParse(n, out var k) ? k : 0;

    /// <summary>Host calls plus every chip's bytes over the links they share.</summary>
    public static double Transfer(int tensors, long bytesPerChip, TargetSpec target)
    {
        int links = Math.Clamp(target.PcieLinks, 1, target.Chips);
        return tensors * HostRates.TransferCallSeconds + (double)bytesPerChip * target.Chips / (links * target.PcieBytesPerSecond);
    }

    /// <summary>A tensor's bytes as laid out on the device (tile padding included: the host tilizes before it writes).</summary>
    public static long Bytes(PlanTensor t) => TensorFootprint.TotalBytes(Parser.ParseType(t.Type));
}
