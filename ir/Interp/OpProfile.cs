using System.Text;

namespace VoxTile.IR.Interp;

/// <summary>Wall time and call count per op name, collected by the interpreter; printed as a table, slowest first.</summary>
public sealed class OpProfile
{
    private readonly Dictionary<string, (TimeSpan Time, int Calls)> _ops = new(StringComparer.Ordinal);

    public void Add(string op, TimeSpan time)
    {
        lock (_ops)
        {
            _ops.TryGetValue(op, out var e);
            _ops[op] = (e.Time + time, e.Calls + 1);
        }
    }

    public IReadOnlyDictionary<string, (TimeSpan Time, int Calls)> Ops => _ops;

    public TimeSpan Total => _ops.Values.Aggregate(TimeSpan.Zero, (a, e) => a + e.Time);

    public override string ToString()
    {
        var sb = new StringBuilder();
        var total = Total.TotalMilliseconds;
        sb.AppendLine($"{"op",-24} {"calls",7} {"ms",10} {"share",7}");
        foreach (var (op, e) in _ops.OrderByDescending(kv => kv.Value.Time).Select(kv => (kv.Key, kv.Value)))
            sb.AppendLine($"{op,-24} {e.Calls,7} {e.Time.TotalMilliseconds,10:F1} {100 * e.Time.TotalMilliseconds / Math.Max(total, 1e-9),6:F1}%");
        sb.AppendLine($"{"total",-24} {"",7} {total,10:F1}");
        return sb.ToString();
    }
}
