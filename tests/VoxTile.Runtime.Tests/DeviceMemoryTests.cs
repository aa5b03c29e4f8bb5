using VoxTile.IR;
using VoxTile.Lowering.Targets;
using VoxTile.Runtime.Execution;

namespace VoxTile.Runtime.Tests;

/// <summary>Device memory holds what the plan places where it places it, and refuses what would not fit on the device.</summary>
public sealed class DeviceMemoryTests
{
    [Fact]
    public void APlanThatFitsRunsAndComputesTheOp()
    {
        var plan = SyntheticPlans.Unary("ttnn.relu", "bf16[1,1,64,64]{tile,dram}", "bf16[1,1,64,64]{tile,l1_height_sharded<2x32x64>}");
        using var ex = new Executor(PlanLoader.Load(plan, TargetSpec.WormholeN150, "synthetic"));
        var x = SyntheticPlans.Ramp(1, 1, 64, 64);
        var y = ex.Run(new Dictionary<string, Tensor> { ["x"] = x })[0];
        for (int i = 0; i < x.Length; i++) Assert.Equal(Math.Max(0, VoxTile.IR.Numerics.BFloat16.Round(x.Data[i])), y.Data[i]);
        Assert.Equal(0, ex.Memory.L1InUsePerCore); // everything freed after the run
        Assert.InRange(ex.Memory.PeakL1PerCore, 4096, 4096 + 65536); // a 32 × 64 bf16 shard (two tiles) per core, plus the op's CBs
    }

    [Fact]
    public void AnOverflowingShardFailsNamingTheOpAndTheBytes()
    {
        // 2048 × 1024 bf16 on one core: 4 MiB against Wormhole's 1.3 MB of L1 per core.
        var plan = SyntheticPlans.Unary("ttnn.relu", "bf16[1,1,2048,1024]{tile,dram}", "bf16[1,1,2048,1024]{tile,l1_height_sharded<1x2048x1024>}");
        using var ex = new Executor(PlanLoader.Load(plan, TargetSpec.WormholeN150, "synthetic"));
        var e = Assert.Throws<VoxTileException>(() => ex.Run(new Dictionary<string, Tensor> { ["x"] = SyntheticPlans.Ramp(1, 1, 2048, 1024) }));
        Assert.Contains("ttnn.relu", e.Message);
        Assert.Contains("out of L1", e.Message);
        Assert.Contains("4,194,304 B per core", e.Message);
        Assert.Contains("%y", e.Message);
    }

    [Fact]
    public void InterleavedL1SpreadsOverEveryCore()
    {
        // The same 4 MiB interleaved over 64 cores: 64 KiB each, which fits.
        var plan = SyntheticPlans.Unary("ttnn.relu", "bf16[1,1,2048,1024]{tile,dram}", "bf16[1,1,2048,1024]{tile,l1}");
        using var ex = new Executor(PlanLoader.Load(plan, TargetSpec.WormholeN150, "synthetic"));
        ex.Run(new Dictionary<string, Tensor> { ["x"] = SyntheticPlans.Ramp(1, 1, 2048, 1024) });
        Assert.InRange(ex.Memory.PeakL1PerCore, 65536, 2 * 65536); // 2048 tiles / 64 cores × 2 KiB, plus CBs
    }

    [Fact]
    public void DramHasTheTargetsCapacity()
    {
        var m = new DeviceMemory(TargetSpec.WormholeN150);
        var big = VoxTile.IR.Text.Parser.ParseType("bf16[1,1,65536,65536]{tile,dram}"); // 8 GiB: fits 12 GiB
        m.Allocate(0, "a", big, "step 0 (ttnn.add)");
        var e = Assert.Throws<VoxTileException>(() => m.Allocate(1, "b", big, "step 1 (ttnn.multiply)"));
        Assert.Contains("step 1 (ttnn.multiply)", e.Message);
        Assert.Contains("out of DRAM", e.Message);
        m.Free(0);
        m.Allocate(1, "b", big, "step 1 (ttnn.multiply)");
    }

    [Fact]
    public void CircularBuffersMayNotReachTheTensors()
    {
        var m = new DeviceMemory(TargetSpec.WormholeN150);
        var t = VoxTile.IR.Text.Parser.ParseType("bf16[1,1,32,16384]{tile,l1_width_sharded<1x32x16384>}"); // 1 MiB on core 0
        m.Allocate(0, "a", t, "step 0");
        m.CheckCircularBuffers(100_000, "step 1 (ttnn.conv1d)");
        var e = Assert.Throws<VoxTileException>(() => m.CheckCircularBuffers(400_000, "step 2 (ttnn.conv1d)"));
        Assert.Contains("step 2 (ttnn.conv1d)", e.Message);
        Assert.Contains("clash with L1 buffers", e.Message);
    }
}
