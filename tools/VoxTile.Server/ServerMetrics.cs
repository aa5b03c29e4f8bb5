using Prometheus;

namespace VoxTile.Server;

/// <summary>
/// The server's own Prometheus series (prometheus-net; the HTTP middleware adds requests by route and status and
/// their latency): queue depth and batch sizes per stage, batch run time, and the time to the first audio byte.
/// </summary>
internal static class ServerMetrics
{
    public static readonly Gauge QueueDepth = Metrics.CreateGauge("voxtile_queue_depth", "Jobs waiting for a batch, by stage", "stage");

    public static readonly Histogram BatchSize = Metrics.CreateHistogram("voxtile_batch_size", "Jobs run together as one batch, by stage",
        new HistogramConfiguration { LabelNames = ["stage"], Buckets = [1, 2, 3, 4, 6, 8, 12, 16, 24, 32] });

    public static readonly Histogram BatchSeconds = Metrics.CreateHistogram("voxtile_batch_seconds", "Time to run one batch, by stage",
        new HistogramConfiguration { LabelNames = ["stage"], Buckets = Histogram.ExponentialBuckets(0.005, 2, 14) });

    public static readonly Histogram TimeToFirstAudio = Metrics.CreateHistogram("voxtile_time_to_first_audio_seconds",
        "From a speech request's arrival to its first audio bytes sent", new HistogramConfiguration { Buckets = Histogram.ExponentialBuckets(0.01, 2, 14) });

    public static readonly Counter SpeechSeconds = Metrics.CreateCounter("voxtile_audio_seconds_total", "Seconds of audio sent, by route", "route");
}
