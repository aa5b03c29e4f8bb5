using VoxTile.IR;
using VoxTile.Lowering.Costs;
using VoxTile.Lowering.Targets;

namespace VoxTile.Lowering.Tests.Costs;

/// <summary>Data-parallel figures: the one-chip program on every chip with its per-chip batch, weights replicated.</summary>
public sealed class MeshCostTests
{
    /// <summary>Two Wormhole chips with a link each, so the mesh scales without sharing the host's link.</summary>
    private static readonly TargetSpec TwoLinkedChips = TargetSpec.WormholeN150 with { Name = "two_linked_wormholes", MeshCols = 2, PcieLinks = 2 };

    [Fact]
    public void TwoChipsServeTwiceTheUtterancesOfOneAtTheSamePerChipBatch()
    {
        var plan = SyntheticPlan.Build(ops: 50, deviceSeconds: 1e-4, weightBytes: 5_000_000);
        var one = MeshCost.Of(plan, TargetSpec.WormholeN150, audioSecondsPerItem: 5);
        var two = MeshCost.Of(plan, TwoLinkedChips, audioSecondsPerItem: 5);
        Assert.Equal((1, 1, 1), (one.Chips, one.BatchPerChip, one.MeshBatch));
        Assert.Equal((2, 1, 2), (two.Chips, two.BatchPerChip, two.MeshBatch));
        Assert.Equal(one.Run.TracedSeconds, two.Run.TracedSeconds, 15);
        Assert.Equal(2 * one.UtterancesPerSecond, two.UtterancesPerSecond, 9);
        Assert.Equal(2 * one.RealTimeStreams, two.RealTimeStreams, 9);
        Assert.Equal(2 * one.UntracedUtterancesPerSecond, two.UntracedUtterancesPerSecond, 9);
        // Replicated: every chip holds all the weights, the mesh twice them; the device time is one chip's.
        Assert.Equal((5_000_000L, 5_000_000L), (one.WeightBytesPerChip, two.WeightBytesPerChip));
        Assert.Equal(10_000_000L, two.WeightBytesOnMesh);
        Assert.Equal(one.DeviceSecondsPerChip, two.DeviceSecondsPerChip);
        Assert.Equal(5e-3, two.DeviceSecondsPerChip, 12);
        Assert.Equal(one.RealTimeStreams, one.UtterancesPerSecond * 5, 9);
    }

    [Fact]
    public void AnN300SharesItsCardsLinkSoItsTwoChipsServeAlmostTwice()
    {
        var plan = SyntheticPlan.Build(ops: 50, deviceSeconds: 1e-4);
        var one = MeshCost.Of(plan, TargetSpec.WormholeN150, 5);
        var n300 = MeshCost.Of(plan, TargetSpec.WormholeN300, 5);
        double extra = 2 * SyntheticPlan.TensorBytes(1) / 31.5e9; // the second chip's input and output over the one link
        Assert.Equal(one.Run.TracedSeconds + extra, n300.Run.TracedSeconds, 15);
        Assert.InRange(n300.UtterancesPerSecond / one.UtterancesPerSecond, 1.9, 2.0);
        Assert.Equal(2 * one.WeightUploadSeconds, n300.WeightUploadSeconds, 15); // each chip's copy of the weights, once at load
    }

    [Fact]
    public void APlansBatchIsItsPerChipBatch()
    {
        var plan = SyntheticPlan.Build(ops: 20, deviceSeconds: 1e-3, batch: 4);
        var m = MeshCost.Of(plan, TargetSpec.WormholeT3000, audioSecondsPerItem: 5);
        Assert.Equal(4, MeshCost.BatchOf(plan));
        Assert.Equal(1, MeshCost.BatchOf(SyntheticPlan.Build(ops: 1, deviceSeconds: 0)));
        Assert.Equal((8, 4, 32), (m.Chips, m.BatchPerChip, m.MeshBatch));
        Assert.Equal(32 / m.Run.TracedSeconds, m.UtterancesPerSecond, 9);
        Assert.Equal(32 * 5 / m.Run.TracedSeconds, m.RealTimeStreams, 9);
        Assert.Equal(SyntheticPlan.TensorBytes(4), m.Run.InputBytesPerChip);
        var bad = plan with { Bucket = new Dictionary<string, int> { ["batch"] = 0 } };
        Assert.Contains("batch must be positive", Assert.Throws<VoxTileException>(() => MeshCost.Of(bad, TargetSpec.WormholeN150, 5)).Message);
    }

    [Fact]
    public void EachChipsDramMustHoldTheWeightsAndTheLiveActivations()
    {
        var plan = SyntheticPlan.Build(ops: 5, deviceSeconds: 1e-3, weightBytes: 1_000_000);
        // The input stays; each step's result lives until the next step has written its own: three tensors at the peak.
        Assert.Equal(3 * SyntheticPlan.TensorBytes(1), PlanDram.PeakActivationBytes(plan));
        var m = MeshCost.Of(plan, TargetSpec.WormholeN300, 5);
        Assert.Equal(1_000_000 + 3 * SyntheticPlan.TensorBytes(1), m.PeakDramBytesPerChip);
        Assert.True(m.FitsDram);
        var huge = SyntheticPlan.Build(ops: 5, deviceSeconds: 1e-3, weightBytes: 13L << 30);
        Assert.False(MeshCost.Of(huge, TargetSpec.WormholeN300, 5).FitsDram); // 12 GiB per Wormhole chip, whatever the mesh
    }

    [Fact]
    public void AClonePipelineRunsItsStagesOneAfterAnotherOnEveryChip()
    {
        var tts = SyntheticPlan.Build(ops: 30, deviceSeconds: 2e-4, weightBytes: 3_000_000);
        var conv = SyntheticPlan.Build(ops: 10, deviceSeconds: 5e-4, op: "ttnn.conv1d", weightBytes: 2_000_000);
        var n300 = TargetSpec.WormholeN300;
        var clone = MeshCost.Pipeline([tts, conv], n300, 5);
        var a = MeshCost.Of(tts, n300, 5);
        var b = MeshCost.Of(conv, n300, 5);
        Assert.Equal(a.Run.TracedSeconds + b.Run.TracedSeconds, clone.Run.TracedSeconds, 15);
        Assert.Equal(a.Run.UntracedSeconds + b.Run.UntracedSeconds, clone.Run.UntracedSeconds, 15);
        Assert.Equal(5_000_000L, clone.WeightBytesPerChip);
        Assert.Equal(5_000_000 + 3 * SyntheticPlan.TensorBytes(1), clone.PeakDramBytesPerChip);
        Assert.Equal(2 * 5 / clone.Run.TracedSeconds, clone.RealTimeStreams, 9);
        var batched = SyntheticPlan.Build(ops: 10, deviceSeconds: 5e-4, batch: 2);
        Assert.Contains("share the per-chip batch", Assert.Throws<VoxTileException>(() => MeshCost.Pipeline([tts, batched], n300, 5)).Message);
    }

    [Fact]
    public void APlanIsFiguredOnlyOnItsOwnKindOfChip()
    {
        var blackhole = SyntheticPlan.Build(ops: 1, deviceSeconds: 0, target: "blackhole_p150");
        Assert.Equal(2, MeshCost.Of(blackhole, TargetSpec.BlackholeP300, 5).MeshBatch);
        var e = Assert.Throws<VoxTileException>(() => MeshCost.Of(blackhole, TargetSpec.WormholeN300, 5));
        Assert.Contains("compiled for blackhole_p150", e.Message);
    }
}
