using VoxTile.IR;
using VoxTile.IR.Numerics;
using VoxTile.Lowering.Plan;
using VoxTile.Lowering.Planning;
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

    /// <summary>
    /// A reshape TTNN runs as a view holds its operand's buffer: no L1 of its own, and the buffer outlives the operand's
    /// deallocation until the view's own. The values are the operand's.
    /// </summary>
    [Fact]
    public void AViewHoldsItsOperandsBufferUntilItIsFreed()
    {
        const string a = "bf16[1,1,65536,64]{tile,l1}", v = "bf16[1,2,32768,64]{tile,l1}"; // 128 KiB per core each
        var plan = new DevicePlan
        {
            Target = "wormhole_n150",
            Model = "synthetic",
            ModelHash = "0",
            Graph = "synthetic",
            Tensors =
            [
                new PlanTensor(0, "x", "bf16[1,1,65536,64]{tile,dram}", PlanTensorKind.Input),
                new PlanTensor(1, "a", a, PlanTensorKind.Activation),
                new PlanTensor(2, "v", v, PlanTensorKind.Activation),
                new PlanTensor(3, "y", "bf16[1,2,32768,64]{tile,dram}", PlanTensorKind.Activation),
            ],
            Inputs = [0],
            Outputs = [3],
            Steps =
            [
                new PlanStep { Op = "ttnn.relu", Inputs = [0], Output = 1 },
                new PlanStep { Op = "ttnn.reshape", Inputs = [1], Output = 2, Attributes = new Dictionary<string, string> { ["shape"] = "[1, 2, 32768, 64]" } },
                new PlanStep { Op = PlanStep.Deallocate, Inputs = [1], Attributes = new Dictionary<string, string> { ["force"] = "false" } },
                new PlanStep { Op = "ttnn.tanh", Inputs = [2], Output = 3 },
                new PlanStep { Op = PlanStep.Deallocate, Inputs = [2], Attributes = new Dictionary<string, string> { ["force"] = "false" } },
            ],
        };
        Assert.True(ReshapeViews.IsView(plan, plan.Steps[1]));
        using var ex = new Executor(PlanLoader.Load(plan, TargetSpec.WormholeN150, "synthetic"));
        var x = SyntheticPlans.Ramp(1, 1, 65536, 64);
        var y = ex.Run(new Dictionary<string, Tensor> { ["x"] = x })[0];
        Assert.Equal([1, 2, 32768, 64], y.Shape);
        for (int i = 0; i < x.Length; i += 997)
            Assert.Equal(BFloat16.Round(MathF.Tanh(Math.Max(0, BFloat16.Round(x.Data[i])))), y.Data[i], 2e-2f);
        Assert.InRange(ex.Memory.PeakL1PerCore, 128 << 10, (128 << 10) + (64 << 10)); // one buffer and CBs, not two

        var m = new DeviceMemory(TargetSpec.WormholeN150);
        var type = VoxTile.IR.Text.Parser.ParseType(a);
        m.Allocate(1, "a", type, "step 0 (ttnn.relu)");
        long held = m.L1InUsePerCore;
        m.Share(2, 1, "step 1 (ttnn.reshape)");
        m.Free(1);
        Assert.Equal(held, m.L1InUsePerCore); // the view still holds it
        Assert.True(m.IsAllocated(2));
        m.Free(2);
        Assert.Equal(0, m.L1InUsePerCore);
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
