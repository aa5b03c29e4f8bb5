namespace VoxTile.Server.LoadTest;

/// <summary>
/// One request's outcome: its status (0 when no answer came), seconds to the whole answer and to its first audio byte,
/// the seconds of audio it held, and what went wrong, if anything. <see cref="Kind"/> says which way it failed.
/// </summary>
public sealed record RequestResult(int Status, double Seconds, double? FirstAudioSeconds, double AudioSeconds, string? Problem)
{
    public ResultKind Kind { get; init; } = Problem is null ? ResultKind.Complete : ResultKind.Refused;

    public static RequestResult Corrupt(int status, double seconds, double? firstAudio, string problem) =>
        new(status, seconds, firstAudio, 0, problem) { Kind = ResultKind.Corrupt };

    public static RequestResult Lost(int status, double seconds, string problem) =>
        new(status, seconds, null, 0, problem) { Kind = ResultKind.Lost };

    public static RequestResult Unfinished(int status, double seconds) =>
        new(status, seconds, null, 0, "still running at the --seconds bound") { Kind = ResultKind.Unfinished };
}

/// <summary>Complete audio; an error status from the server; a 2xx whose audio is not whole; no answer or one cut off; stopped by the time bound.</summary>
public enum ResultKind { Complete, Refused, Corrupt, Lost, Unfinished }
