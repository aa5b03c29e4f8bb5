using VoxTile.Runtime.Execution;

namespace VoxTile.Runtime.Tests;

/// <summary>The per-op reference check on a synthetic plan (whole converters: VoxTile.Models.Tests' DeviceCheckAndTraceTests).</summary>
public sealed class CheckTests
{
    [Fact]
    public void TheFirstOpBelowTheBarIsFlagged()
    {
        // ttnn.exp of values up to 60 in bf16: the reference is fp32; force a bar no bf16 op can meet.
        var plan = SyntheticPlans.Unary("ttnn.exp", "bf16[1,1,32,32]{tile,dram}", "bf16[1,1,32,32]{tile,dram}");
        using var ex = new Executor(PlanLoader.Load(plan, VoxTile.Lowering.Targets.TargetSpec.WormholeN150, "synthetic"), new ExecutorOptions { Check = true, CheckPcc = 1.0 });
        ex.Run(new Dictionary<string, VoxTile.IR.Tensor> { ["x"] = SyntheticPlans.Ramp(1, 1, 32, 32) });
        Assert.NotNull(ex.Check.FirstBelow);
        Assert.Equal("ttnn.exp", ex.Check.FirstBelow!.Op);
        Assert.Contains("below", ex.Check.Format());
    }
}
