namespace VoxTile.Server;

/// <summary>What <c>voxtile serve</c> takes besides the models: where to listen, who may call, and the limits.</summary>
public sealed record ServerOptions
{
    public string Host { get; init; } = "127.0.0.1";

    /// <summary>0 picks a free port (tests); <see cref="VoxTileServer.Port"/> tells which.</summary>
    public int Port { get; init; } = 8000;

    /// <summary>Bearer keys; empty lets anyone call (every caller is then one owner).</summary>
    public IReadOnlyList<string> ApiKeys { get; init; } = [];

    /// <summary>Where voices are kept; null is <c>$VOXTILE_CACHE/voices</c>, else <c>~/.cache/voxtile/voices</c>.</summary>
    public string? VoicesDirectory { get; init; }

    public int MaxBatch { get; init; } = 8;
    public int MaxQueue { get; init; } = 64;
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(120);

    /// <summary>How long the first request of a batch waits for others that want the same plan.</summary>
    public TimeSpan BatchWindow { get; init; } = TimeSpan.FromMilliseconds(20);

    public long MaxBodyBytes { get; init; } = 32L << 20;
    public int MaxTextChars { get; init; } = 4096;

    /// <summary>The most seconds of audio one upload (all its references, or one source) may hold.</summary>
    public double MaxAudioSeconds { get; init; } = 120;

    /// <summary>How long a shutdown waits for requests in flight.</summary>
    public TimeSpan ShutdownTimeout { get; init; } = TimeSpan.FromSeconds(30);

    public string ResolvedVoicesDirectory => VoicesDirectory
        ?? Path.Combine(Environment.GetEnvironmentVariable("VOXTILE_CACHE") is { Length: > 0 } cache ? cache
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "voxtile"), "voices");
}
