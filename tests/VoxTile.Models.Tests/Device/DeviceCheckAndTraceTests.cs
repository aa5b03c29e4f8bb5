using System.Text.Json;
using VoxTile.Models.Device;
using VoxTile.Runtime.Execution;
using VoxTile.Testing;
using Xunit.Abstractions;

namespace VoxTile.Models.Tests.Device;

/// <summary>The per-op reference check and the Perfetto trace, on a whole converter.</summary>
[Collection(DeviceRuns.Name)]
public sealed class DeviceCheckAndTraceTests(ITestOutputHelper output)
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
