using System.Text;
using VoxTile.Lowering.Plan;

namespace VoxTile.Runtime.Execution;

/// <summary>
/// Wall time per executed step, summed per op kind over every run since the last <see cref="Reset"/>: what
/// <c>voxtile convert --profile</c> prints and the benchmark reads (GFLOP/s from the kernels' work).
/// </summary>
public sealed class OpTimings
{
    private readonly Dictionary<string, Entry> _byOp = new(StringComparer.Ordinal);

    public sealed class Entry
    {
        public TimeSpan Time { get; internal set; }
        public int Calls { get; internal set; }
        public double Flops { get; internal set; }
        public string Family { get; internal set; } = "";
    }

    public IReadOnlyDictionary<string, Entry> ByOp => _byOp;
    public int Runs { get; private set; }
    public TimeSpan RunTime { get; private set; }

    public TimeSpan StepTime => _byOp.Values.Aggregate(TimeSpan.Zero, (a, e) => a + e.Time);
    public double Flops => _byOp.Values.Sum(e => e.Flops);

    internal void Add(StepKernel k, PlanStep step, TimeSpan time)
    {
        var key = step.Op;
        if (!_byOp.TryGetValue(key, out var e)) _byOp[key] = e = new Entry { Family = k.Family };
        e.Time += time;
        e.Calls++;
        e.Flops += k.Flops;
    }

    internal void EndRun(TimeSpan total)
    {
        Runs++;
        RunTime += total;
    }

    public void Reset()
    {
        _byOp.Clear();
        Runs = 0;
        RunTime = TimeSpan.Zero;
    }

    public override string ToString()
    {
        var sb = new StringBuilder();
        var total = StepTime.TotalSeconds;
        sb.AppendLine($"{"op",-28} {"family",-9} {"calls",7} {"time s",9} {"share",6} {"GFLOP/s",8}");
        foreach (var (op, e) in _byOp.OrderByDescending(kv => kv.Value.Time))
        {
            var rate = e.Flops > 0 && e.Time > TimeSpan.Zero ? $"{e.Flops / e.Time.TotalSeconds / 1e9,8:F1}" : "";
            sb.AppendLine($"{op,-28} {e.Family,-9} {e.Calls,7} {e.Time.TotalSeconds,9:F3} {e.Time.TotalSeconds / Math.Max(total, 1e-12),6:P0} {rate}");
        }
        sb.AppendLine($"{"total (" + Runs + " runs)",-28} {"",-9} {_byOp.Values.Sum(e => e.Calls),7} {total,9:F3}        {(total > 0 ? Flops / total / 1e9 : 0),8:F1}");
        return sb.ToString();
    }
}
