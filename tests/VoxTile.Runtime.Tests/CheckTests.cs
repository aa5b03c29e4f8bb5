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

    [Fact]
    public void ANanOrInfinityFailsTheCheck()
    {
        // log of a ramp through 0 and below: -inf and NaN in the output and its reference alike, so the PCC is NaN,
        // which compares false with any bar; the check must still fail the op.
        var plan = SyntheticPlans.Unary("ttnn.log", "f32[1,1,32,32]{tile,dram}", "f32[1,1,32,32]{tile,dram}");
        using var ex = new Executor(PlanLoader.Load(plan, VoxTile.Lowering.Targets.TargetSpec.WormholeN150, "synthetic"), new ExecutorOptions { Check = true, CheckPcc = 0.5 });
        ex.Run(new Dictionary<string, VoxTile.IR.Tensor> { ["x"] = SyntheticPlans.Ramp(1, 1, 32, 32) });
        var op = Assert.Single(ex.Check.Ops);
        Assert.True(double.IsNaN(op.Pcc));
        Assert.True(op.NonFinite > 0);
        Assert.Same(op, ex.Check.FirstBelow);
        Assert.Contains("NaN/inf", ex.Check.Format());
    }

    [Fact]
    public void AnyNonFiniteValueFailsEvenAtAPerfectPcc()
    {
        var ok = new ReferenceCheck.OpCheck(0, "ttnn.exp", "y", null, 1.0, 0, 1);
        Assert.False(ok.Fails(0.99));
        Assert.True((ok with { NonFinite = 1 }).Fails(0.99));
        Assert.True((ok with { Pcc = double.NaN }).Fails(0.99));
        Assert.True((ok with { Pcc = 0.98 }).Fails(0.99));
    }
}
