using VoxTile.Lowering.Costs;
using VoxTile.Lowering.Targets;

namespace VoxTile.Lowering.Tests.Costs;

/// <summary>The host in the cost model: dispatch with and without a trace, and the transfers over PCIe.</summary>
public sealed class HostCostTests
{
    private const double Add = 0.039e-3; // tt-metal's reference: ttnn.add, python mean dispatch time
    private const double Gap = 2.05e-6; // tt-metal's Wormhole op-to-op golden, traced

    private static double Upload(TargetSpec t, int batch = 1) => HostRates.TransferCallSeconds + SyntheticPlan.TensorBytes(batch) * (double)t.Chips / (Math.Min(t.Chips, t.PcieLinks) * t.PcieBytesPerSecond);

    [Fact]
    public void UntracedSmallOpsAreBoundByTheHostsDispatch()
    {
        var plan = SyntheticPlan.Build(ops: 100, deviceSeconds: 1e-6);
        var n150 = TargetSpec.WormholeN150;
        var r = HostCost.Of(plan, n150);
        double io = Upload(n150) * 2; // the output is the input's size
        Assert.Equal(100 * Add, r.DispatchSeconds, 12);
        // The device runs each op as soon as the host has dispatched it: the last finishes one device time after the last dispatch.
        Assert.Equal(io + 100 * Add + 1e-6, r.UntracedSeconds, 12);
        // Replayed from a trace: one call, then the programs back to back with the op-to-op gap between them.
        Assert.Equal(io + HostRates.ExecuteTraceSeconds + 100 * (1e-6 + Gap), r.TracedSeconds, 12);
        Assert.True(r.UntracedSeconds > 5 * r.TracedSeconds, "a trace removes the dispatch that dominates small ops");
    }

    [Fact]
    public void ATraceBuysAlmostNothingWhenTheDeviceIsTheBottleneck()
    {
        var r = HostCost.Of(SyntheticPlan.Build(ops: 100, deviceSeconds: 1e-3), TargetSpec.WormholeN150);
        Assert.Equal(0.1, r.DeviceSeconds, 12);
        // Untraced: the first dispatch, then the device back to back (each program after the gap); traced: the execute call instead.
        Assert.Equal(Add - HostRates.ExecuteTraceSeconds - Gap, r.UntracedSeconds - r.TracedSeconds, 12);
        Assert.InRange(r.TracedSeconds, 0.1, 0.1 + 1e-3);
    }

    [Fact]
    public void AConvIsTwoProgramsAndAHeavierDispatch()
    {
        var r = HostCost.Of(SyntheticPlan.Build(ops: 10, deviceSeconds: 0, op: "ttnn.conv1d"), TargetSpec.WormholeN150);
        Assert.Equal(20, r.DevicePrograms);
        Assert.Equal(10 * HostRates.ConvDispatchSeconds, r.DispatchSeconds, 12);
        var adds = HostCost.Of(SyntheticPlan.Build(ops: 10, deviceSeconds: 0), TargetSpec.WormholeN150);
        Assert.Equal(10, adds.DevicePrograms);
        Assert.Equal(10 * Gap, r.TracedSeconds - adds.TracedSeconds, 12);
        Assert.Equal(HostRates.UnlistedDispatchSeconds, HostRates.UntracedDispatchSeconds("ttnn.an_op_the_reference_lacks"));
    }

    /// <summary>
    /// A conv TTNN slices through DRAM runs padded_slice, halo, conv and slice_write per slice (tt-metal's run_sliced_op):
    /// four programs a slice, each paying the op-to-op gap; its Python dispatch stays one conv call's.
    /// </summary>
    [Fact]
    public void ADramSlicedConvIsFourProgramsPerSlice()
    {
        var plain = SyntheticPlan.Build(ops: 3, deviceSeconds: 0, op: "ttnn.conv1d");
        var sliced = plain with
        {
            Steps = [.. plain.Steps.Select(s => s.IsDeallocate ? s : s with { Attributes = new Dictionary<string, string> { ["slice_type"] = "width", ["num_slices"] = "5" } })],
        };
        var r = HostCost.Of(sliced, TargetSpec.WormholeN150);
        Assert.Equal(3 * 5 * HostRates.DramSlicePrograms, r.DevicePrograms);
        Assert.Equal(4, HostRates.DramSlicePrograms);
        Assert.Equal(3 * HostRates.ConvDispatchSeconds, r.DispatchSeconds, 12);
        var unsliced = HostCost.Of(plain, TargetSpec.WormholeN150);
        Assert.Equal((3 * 5 * 4 - 3 * 2) * Gap, r.TracedSeconds - unsliced.TracedSeconds, 12);
    }

    [Fact]
    public void TransfersMoveEveryChipsShareOverTheLinksTheyHangFrom()
    {
        var plan = SyntheticPlan.Build(ops: 1, deviceSeconds: 1e-3);
        long bytes = SyntheticPlan.TensorBytes(1);
        var one = HostCost.Of(plan, TargetSpec.WormholeN150);
        Assert.Equal((bytes, bytes), (one.InputBytesPerChip, one.OutputBytesPerChip));
        Assert.Equal(HostRates.TransferCallSeconds + bytes / 31.5e9, one.UploadSeconds, 15); // PCIe 4.0 x16
        // An n300's two chips share its card's one link; a T3000's eight hang two to a card; a Galaxy's each have their own.
        Assert.Equal(HostRates.TransferCallSeconds + 2 * bytes / 31.5e9, HostCost.Of(plan, TargetSpec.WormholeN300).UploadSeconds, 15);
        Assert.Equal(HostRates.TransferCallSeconds + 8 * bytes / (4 * 31.5e9), HostCost.Of(plan, TargetSpec.WormholeT3000).UploadSeconds, 15);
        Assert.Equal(one.UploadSeconds, HostCost.Of(plan, TargetSpec.WormholeGalaxy).UploadSeconds, 15);
        // A bigger per-chip batch writes more.
        Assert.Equal(4 * bytes, HostCost.Of(SyntheticPlan.Build(ops: 1, deviceSeconds: 1e-3, batch: 4), TargetSpec.WormholeN150).InputBytesPerChip);
    }

    [Fact]
    public void BlackholeHasItsOwnGapAndAFasterLink()
    {
        var plan = SyntheticPlan.Build(ops: 10, deviceSeconds: 0, target: "blackhole_p150");
        var r = HostCost.Of(plan, TargetSpec.BlackholeP150);
        Assert.Equal(2.069e-6, HostRates.OpToOpGapSeconds(TargetSpec.BlackholeP150));
        Assert.Equal(HostRates.TransferCallSeconds + SyntheticPlan.TensorBytes(1) / 62.5e9, r.UploadSeconds, 15); // PCIe 5.0 x16
        Assert.Equal(2 * r.UploadSeconds + HostRates.ExecuteTraceSeconds + 10 * 2.069e-6, r.TracedSeconds, 12);
    }

    [Fact]
    public void TheCpuTargetHasNoHostTerms()
    {
        var r = HostCost.Of(SyntheticPlan.Build(ops: 10, deviceSeconds: 1e-3, target: "cpu"), TargetSpec.Cpu);
        Assert.Equal(0.01, r.DeviceSeconds, 15);
        Assert.Equal((r.DeviceSeconds, r.DeviceSeconds), (r.TracedSeconds, r.UntracedSeconds));
        Assert.Equal(0, r.UploadSeconds);
    }
}
