using VoxTile.IR;

namespace VoxTile.Server.LoadTest;

/// <summary>Which endpoint a load test calls: speech (text, streamed) or convert (a source recording to a stored voice).</summary>
public enum LoadRoute { Speech, Convert }

/// <summary>
/// What <c>voxtile loadtest</c> sends, and its bounds: at most <see cref="Requests"/> requests, <see cref="Concurrency"/>
/// at a time, stopping early after <see cref="Seconds"/>; only to a loopback address (a load test is for one's own server).
/// </summary>
public sealed record LoadTestOptions
{
    public const int MaxRequests = 100_000, MaxConcurrency = 256;
    public const double MaxSeconds = 3600;

    public required Uri Url { get; init; }
    public int Concurrency { get; init; } = 4;
    public int Requests { get; init; } = 16;
    public double Seconds { get; init; } = 600;
    public LoadRoute Route { get; init; } = LoadRoute.Speech;
    public string? ApiKey { get; init; }

    /// <summary>Speech: the text every request speaks.</summary>
    public string Text { get; init; } = ThreeSentences;

    public const string ThreeSentences = "The quick brown fox jumps over the lazy dog. It was a bright cold day in April. The clocks were striking thirteen.";

    /// <summary>Speech: a base speaker or a stored voice id; null clones <see cref="Reference"/> first and speaks in it.</summary>
    public string? Voice { get; init; } = "EN-US";

    public string Format { get; init; } = "wav";

    /// <summary>Convert: the WAV every request converts.</summary>
    public required byte[] Source { get; init; }

    /// <summary>The reference WAV stored once as the target voice (convert, or speech with no <see cref="Voice"/>).</summary>
    public required byte[] Reference { get; init; }

    /// <summary>One line naming what is out of bounds, before any request is sent.</summary>
    public void Validate()
    {
        if (Url.Scheme is not ("http" or "https")) throw new VoxTileException($"--url must be http:// or https://, got '{Url}'");
        if (!IsLoopback(Url))
            throw new VoxTileException($"loadtest only calls a server on this machine (127.0.0.1, ::1 or localhost), not '{Url.Host}'");
        if (Concurrency is < 1 or > MaxConcurrency) throw new VoxTileException($"--concurrency must be 1 to {MaxConcurrency}, got {Concurrency}");
        if (Requests is < 1 or > MaxRequests) throw new VoxTileException($"--requests must be 1 to {MaxRequests}, got {Requests}");
        if (!(Seconds is > 0 and <= MaxSeconds)) throw new VoxTileException($"--seconds must be above 0 and at most {MaxSeconds}, got {Seconds}");
        if (Format is not ("wav" or "pcm")) throw new VoxTileException($"--format must be wav or pcm, got '{Format}'");
        if (Route == LoadRoute.Speech && string.IsNullOrWhiteSpace(Text)) throw new VoxTileException("--text is empty");
    }

    // A name is loopback only as 'localhost' (resolving other names could reach another machine).
    public static bool IsLoopback(Uri url) =>
        url.IsLoopback && (url.HostNameType is UriHostNameType.IPv4 or UriHostNameType.IPv6
            || url.Host.Equals("localhost", StringComparison.OrdinalIgnoreCase));
}
