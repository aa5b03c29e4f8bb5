using System.Text.Json;
using VoxTile.Runtime.Backends;
using VoxTile.Runtime.Execution;
using VoxTile.Testing;
using Xunit.Abstractions;

namespace VoxTile.Runtime.Tests;

/// <summary>The per-op reference check and the Perfetto trace, on a whole converter.</summary>
public sealed class CheckAndTraceTests(ITestOutputHelper output)
{
    [GoldenFact("converter-tiny")]
    public void EveryOpIsComparedWithItsReference()
    {
        using var backend = new DeviceConverterBackend(new DeviceBackendOptions { DType = "bf16", Check = true, ExactLength = true });
        Goldens.Convert("converter-tiny", backend);
        var check = backend.Executors.Single().Check;
        output.WriteLine(check.Format(worst: 10));
        int steps = backend.Executors.Single().Plan.Steps.Count(s => !s.IsDeallocate);
        Assert.Equal(steps, check.Ops.Count);
        Assert.Null(check.FirstBelow);
        Assert.All(check.Ops, o => Assert.InRange(o.Pcc, 0.99, 1.0000001));
    }

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

    [GoldenFact("converter-tiny")]
    public void TheTraceHasAnEventPerExecutedStep()
    {
        var trace = new PerfettoTrace();
        using var backend = new DeviceConverterBackend(new DeviceBackendOptions { DType = "bf16", Trace = trace, ExactLength = true });
        Goldens.Convert("converter-tiny", backend);
        var path = Path.Combine(Path.GetTempPath(), $"voxtile-trace-{Guid.NewGuid():N}.json");
        try
        {
            trace.Write(path);
            using var doc = JsonDocument.Parse(File.ReadAllText(path));
            var events = doc.RootElement.GetProperty("traceEvents").EnumerateArray().ToList();
            var ops = events.Where(e => e.GetProperty("ph").GetString() == "X" && e.GetProperty("tid").GetInt32() == 1).ToList();
            Assert.Equal(backend.Executors.Single().Kernels.Count, ops.Count);
            // Each event is a plan step by its op's name: ttnn ops, and the CPU target's fused convs.
            var stepOps = backend.Executors.Single().Kernels.Select(k => k.Op.Name).ToHashSet();
            Assert.All(ops, e => Assert.Matches("^(ttnn|cpu)\\.", e.GetProperty("name").GetString()));
            Assert.All(ops, e => Assert.Contains(e.GetProperty("name").GetString()!, stepOps));
            Assert.All(ops, e => Assert.True(NativeCoverage.Symbols.ContainsKey(e.GetProperty("name").GetString()!), $"{e.GetProperty("name").GetString()} has no native kernel"));
            Assert.Contains(ops, e => e.GetProperty("cat").GetString() == "conv" && e.GetProperty("args").TryGetProperty("gflop", out _));
            Assert.Contains(events, e => e.GetProperty("ph").GetString() == "C");
            Assert.Contains(events, e => e.GetProperty("name").GetString()!.StartsWith("chunk 1/1", StringComparison.Ordinal));
        }
        finally { File.Delete(path); }
    }
}
