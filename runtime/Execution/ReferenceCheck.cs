using System.Text;
using VoxTile.IR;

namespace VoxTile.Runtime.Execution;

/// <summary>
/// ttrt's golden check done op by op: each step's IR op is evaluated in fp32 (its reference semantics) on the very
/// inputs the device step read, and its device output is compared by PCC (float64 Pearson correlation). The first
/// step below the bar is flagged: where the plan's numerics part from the reference, before the error spreads.
/// </summary>
public sealed class ReferenceCheck
{
    private readonly List<OpCheck> _ops = [];

    /// <summary>One checked step: position, op, its output, PCC and max abs error against the fp32 reference.</summary>
    public sealed record OpCheck(int Step, string Op, string Output, string? Origin, double Pcc, double MaxAbsError, double MaxAbsReference);

    public IReadOnlyList<OpCheck> Ops => _ops;

    public double Bar { get; private set; } = 0.99;

    /// <summary>The first step whose PCC is below the bar, or null.</summary>
    public OpCheck? FirstBelow => _ops.FirstOrDefault(o => o.Pcc < Bar);

    public void Clear() => _ops.Clear();

    internal void Compare(int pos, StepKernel k, LoadedPlan plan, Tensor[] inputs, Tensor actual, double bar)
    {
        Bar = bar;
        Tensor expected;
        try { expected = k.Op.Evaluate(inputs); }
        catch (VoxTileException e) { throw new VoxTileException($"{plan.Describe(k.Step)}: the fp32 reference failed: {e.Message}", e); }
        var step = plan.Steps[k.Step];
        _ops.Add(new OpCheck(k.Step, step.Op, plan.Tensor(k.Output).Name, step.Origin, Pcc(actual.Data, expected.Data),
            MaxAbsError(actual.Data, expected.Data), MaxAbs(expected.Data)));
    }

    public static double Pcc(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        if (a.Length != b.Length) throw new ArgumentException($"length {a.Length} vs {b.Length}");
        if (a.Length == 0) return 1;
        double ma = 0, mb = 0;
        for (int i = 0; i < a.Length; i++) { ma += a[i]; mb += b[i]; }
        ma /= a.Length;
        mb /= b.Length;
        double sab = 0, saa = 0, sbb = 0;
        for (int i = 0; i < a.Length; i++)
        {
            double da = a[i] - ma, db = b[i] - mb;
            sab += da * db;
            saa += da * da;
            sbb += db * db;
        }
        // Constant tensors: equal ones correlate perfectly, as ttrt treats them.
        if (saa == 0 || sbb == 0) return MaxAbsError(a, b) <= 1e-6 * Math.Max(1, MaxAbs(b)) ? 1.0 : 0.0;
        return sab / Math.Sqrt(saa * sbb);
    }

    public static double MaxAbsError(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        double m = 0;
        for (int i = 0; i < a.Length; i++) m = Math.Max(m, Math.Abs((double)a[i] - b[i]));
        return m;
    }

    public static double MaxAbs(ReadOnlySpan<float> a)
    {
        double m = 0;
        foreach (var v in a) m = Math.Max(m, Math.Abs(v));
        return m;
    }

    /// <summary>The report: every op's PCC (the worst first when <paramref name="worst"/> &gt; 0, that many), and the first below the bar.</summary>
    public string Format(int worst = 0)
    {
        var sb = new StringBuilder();
        var rows = worst > 0 ? _ops.OrderBy(o => o.Pcc).Take(worst) : _ops;
        sb.AppendLine($"{"step",5} {"op",-22} {"PCC",12} {"max abs err",12}  output (origin)");
        foreach (var o in rows)
            sb.AppendLine($"{o.Step,5} {o.Op,-22} {o.Pcc,12:F7} {o.MaxAbsError,12:E2}  %{o.Output}{(o.Origin is { } g ? $" ({g})" : "")}{(o.Pcc < Bar ? "  << below " + Bar : "")}");
        var first = FirstBelow;
        sb.AppendLine(first is null
            ? $"check: {_ops.Count} ops, all PCC ≥ {Bar} (min {(_ops.Count > 0 ? _ops.Min(o => o.Pcc) : 1):F6})"
            : $"check: {_ops.Count} ops, {_ops.Count(o => o.Pcc < Bar)} below {Bar}; first: step {first.Step} {first.Op} → %{first.Output} PCC {first.Pcc:F6}");
        return sb.ToString();
    }
}
