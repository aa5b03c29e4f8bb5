namespace VoxTile.Server.Http;

/// <summary>
/// A request's life: cancelled when the client goes away or the server's deadline passes. Waiting through
/// <see cref="Await{T}"/> turns the deadline into <see cref="RequestDeadlineException"/> (504).
/// </summary>
internal sealed class RequestScope : IDisposable
{
    private readonly CancellationTokenSource _deadline;
    private readonly CancellationToken _client;
    private readonly TimeSpan _limit;

    public RequestScope(HttpContext context, TimeSpan limit)
    {
        _client = context.RequestAborted;
        _limit = limit;
        _deadline = CancellationTokenSource.CreateLinkedTokenSource(_client);
        _deadline.CancelAfter(limit);
    }

    public CancellationToken Token => _deadline.Token;

    /// <summary>
    /// Waits for <paramref name="work"/> until the deadline: a job whose batch is already running cannot be taken back
    /// (the batcher lets it finish), but its caller stops waiting for it and answers 504 at the deadline.
    /// </summary>
    public async Task<T> Await<T>(Task<T> work)
    {
        try { return await work.WaitAsync(Token); }
        catch (OperationCanceledException) when (!_client.IsCancellationRequested && _deadline.IsCancellationRequested)
        {
            throw new RequestDeadlineException(_limit);
        }
    }

    /// <summary>The request is over (answered, failed or abandoned): whatever it still has queued leaves the queue.</summary>
    public void Dispose()
    {
        _deadline.Cancel();
        _deadline.Dispose();
    }
}
