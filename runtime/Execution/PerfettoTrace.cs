using System.Diagnostics;
using System.Text;
using System.Text.Json;
using VoxTile.IR.IO;

namespace VoxTile.Runtime.Execution;

/// <summary>
/// A Chrome trace-event file (JSON, opened by ui.perfetto.dev and chrome://tracing): one complete event per executed
/// step on the "ops" track (name = op, category = kernel family, args = step, origin, output type, fused steps),
/// counters of L1 per core and DRAM per bank in use, and spans the caller adds (a chunk, a whole conversion) on the
/// "runs" track. Timestamps are microseconds from the trace's creation.
/// </summary>
public sealed class PerfettoTrace
{
    private readonly long _origin = Stopwatch.GetTimestamp();
    private readonly List<string> _events = [];
    private readonly object _lock = new();

    public int Count => _events.Count;

    private double Us(long ticks) => (ticks - _origin) * 1e6 / Stopwatch.Frequency;

    internal void Op(StepKernel k, LoadedPlan plan, long start, long end, DeviceMemory memory)
    {
        var step = plan.Steps[k.Step];
        var args = new Dictionary<string, object>
        {
            ["step"] = k.Step,
            ["output"] = $"%{plan.Tensor(k.Output).Name}: {plan.Tensor(k.Output).Type}",
        };
        if (step.Origin is { } o) args["origin"] = o;
        if (k.Flops > 0) args["gflop"] = k.Flops / 1e9;
        Add(new { name = step.Op, cat = k.Family, ph = "X", ts = Us(start), dur = Us(end) - Us(start), pid = 1, tid = 1, args });
        Add(new { name = "device memory", ph = "C", ts = Us(end), pid = 1, args = new { l1_per_core = memory.L1InUsePerCore, dram_per_bank = memory.DramInUsePerBank } });
    }

    /// <summary>A span on the "runs" track (Stopwatch timestamps).</summary>
    public void Span(string name, long start, long end, IReadOnlyDictionary<string, object>? args = null) =>
        Add(new { name, cat = "run", ph = "X", ts = Us(start), dur = Us(end) - Us(start), pid = 1, tid = 2, args = args ?? new Dictionary<string, object>() });

    private void Add(object e)
    {
        var json = JsonSerializer.Serialize(e);
        lock (_lock) _events.Add(json);
    }

    public void Write(string path) => AtomicFile.Write(path, s =>
    {
        using var w = new StreamWriter(s, new UTF8Encoding(false), 1 << 16, leaveOpen: true);
        w.Write("{\"displayTimeUnit\":\"ms\",\"traceEvents\":[\n");
        w.Write("{\"name\":\"process_name\",\"ph\":\"M\",\"pid\":1,\"args\":{\"name\":\"voxtile device\"}},\n");
        w.Write("{\"name\":\"thread_name\",\"ph\":\"M\",\"pid\":1,\"tid\":1,\"args\":{\"name\":\"ops\"}},\n");
        w.Write("{\"name\":\"thread_name\",\"ph\":\"M\",\"pid\":1,\"tid\":2,\"args\":{\"name\":\"runs\"}}");
        lock (_lock)
            foreach (var e in _events)
            {
                w.Write(",\n");
                w.Write(e);
            }
        w.Write("\n]}\n");
    });
}
