using System.Globalization;
using System.Text;

namespace VoxTile.Server.LoadTest;

/// <summary>
/// What a load test saw: throughput (requests and seconds of audio per wall second), latency and time to first audio
/// (nearest-rank p50/p95/p99 over complete answers), errors by status, and every answer that was not whole audio.
/// </summary>
public sealed record LoadReport(LoadTestOptions Options, IReadOnlyList<RequestResult> Results, double WallSeconds)
{
    public int Sent => Results.Count;
    public int NotSent => Options.Requests - Sent;
    public IEnumerable<RequestResult> Complete => Results.Where(r => r.Kind == ResultKind.Complete);
    public int Count(ResultKind kind) => Results.Count(r => r.Kind == kind);

    /// <summary>No request lost, cut off, corrupted, refused or left unsent: every one of them came back as whole audio.</summary>
    public bool AllComplete => Sent == Options.Requests && Results.All(r => r.Kind == ResultKind.Complete);

    public double Throughput => WallSeconds > 0 ? Count(ResultKind.Complete) / WallSeconds : 0;
    public double AudioPerSecond => WallSeconds > 0 ? Complete.Sum(r => r.AudioSeconds) / WallSeconds : 0;

    public double Latency(double p) => Percentile([.. Complete.Select(r => r.Seconds)], p);
    public double FirstAudio(double p) => Percentile([.. Complete.Select(r => r.FirstAudioSeconds ?? r.Seconds)], p);

    /// <summary>Nearest rank: the smallest value with at least p of the values at or below it; NaN for none.</summary>
    public static double Percentile(double[] values, double p)
    {
        if (values.Length == 0) return double.NaN;
        Array.Sort(values);
        int rank = (int)Math.Ceiling(p / 100 * values.Length);
        return values[Math.Clamp(rank - 1, 0, values.Length - 1)];
    }

    /// <summary>Failures by kind and status, e.g. <c>429 ×3</c>, each with the first message seen.</summary>
    public IEnumerable<string> Failures() =>
        Results.Where(r => r.Kind != ResultKind.Complete)
            .GroupBy(r => (r.Kind, r.Status))
            .OrderBy(g => g.Key.Kind).ThenBy(g => g.Key.Status)
            .Select(g => $"{Name(g.Key.Kind, g.Key.Status)} ×{g.Count()}: {g.First().Problem}");

    private static string Name(ResultKind kind, int status) => kind switch
    {
        ResultKind.Refused => $"status {status}",
        ResultKind.Corrupt => $"incomplete audio (status {status})",
        ResultKind.Lost => status == 0 ? "no answer" : $"cut off (status {status})",
        _ => "unfinished",
    };

    public string Text()
    {
        var s = new StringBuilder();
        var ic = CultureInfo.InvariantCulture;
        string route = Options.Route == LoadRoute.Speech ? "speech" : "convert";
        s.AppendLine(ic, $"{route} at {Options.Url}: {Sent} of {Options.Requests} requests sent, {Options.Concurrency} at a time, in {WallSeconds:F2} s");
        s.AppendLine(ic, $"  complete audio    {Count(ResultKind.Complete)}   errors by status {Count(ResultKind.Refused)}   incomplete {Count(ResultKind.Corrupt)}   lost or cut off {Count(ResultKind.Lost)}   unfinished {Count(ResultKind.Unfinished)}   not sent {NotSent}");
        s.AppendLine(ic, $"  throughput        {Throughput:F3} requests/s, {AudioPerSecond:F2} s of audio per second");
        s.AppendLine(ic, $"  latency           p50 {Ms(Latency(50))}  p95 {Ms(Latency(95))}  p99 {Ms(Latency(99))}");
        s.AppendLine(ic, $"  first audio       p50 {Ms(FirstAudio(50))}  p95 {Ms(FirstAudio(95))}  p99 {Ms(FirstAudio(99))}");
        foreach (var f in Failures()) s.AppendLine(ic, $"  {f}");
        s.Append(ic, $"loadtest route={route} concurrency={Options.Concurrency} requests={Options.Requests} complete={Count(ResultKind.Complete)} ");
        s.Append(ic, $"errors={Count(ResultKind.Refused)} incomplete={Count(ResultKind.Corrupt)} lost={Count(ResultKind.Lost)} unfinished={Count(ResultKind.Unfinished) + NotSent} ");
        s.Append(ic, $"wall_s={WallSeconds:F3} rps={Throughput:F3} p50_s={Latency(50):F3} p95_s={Latency(95):F3} p99_s={Latency(99):F3} ttfa_p50_s={FirstAudio(50):F3}");
        return s.ToString();
    }

    private static string Ms(double seconds) => double.IsNaN(seconds) ? "–" : string.Create(CultureInfo.InvariantCulture, $"{seconds * 1000:F0} ms");
}
