namespace VoxTile.Server.Batching;

/// <summary>
/// Requests that wait for the same device plan run as one batch: jobs with equal keys (the length bucket and the
/// settings a batch shares) that arrive within <see cref="BatcherOptions.Window"/> of the first are taken together, up
/// to <see cref="BatcherOptions.MaxBatch"/>, and handed to the batch function on one worker thread. A batch that fails
/// is run again job by job, so one bad request never fails its batch mates. The queue is bounded: a job beyond
/// <see cref="BatcherOptions.MaxQueue"/> is refused with <see cref="QueueFullException"/>. A job whose token is
/// cancelled while it waits leaves the queue and never runs.
/// </summary>
internal sealed class DynamicBatcher<TJob, TResult> : IAsyncDisposable
{
    private sealed record Pending(TJob Job, object Key, TaskCompletionSource<TResult> Done, CancellationTokenRegistration Registration);

    private readonly Func<IReadOnlyList<TJob>, IReadOnlyList<TResult>> _run;
    private readonly Func<TJob, object> _key;
    private readonly BatcherOptions _options;
    private readonly Action<int>? _onBatch;
    private readonly Action<int>? _onDepth;
    private readonly LinkedList<Pending> _queue = new();
    private readonly Lock _gate = new();
    private readonly SemaphoreSlim _arrived = new(0);
    private readonly Task _worker;
    private bool _stopping;

    /// <param name="run">runs a batch; returns one result per job, in order.</param>
    /// <param name="key">jobs with equal keys may share a batch.</param>
    /// <param name="onBatch">told each batch's size as it starts (metrics).</param>
    /// <param name="onDepth">told the number of waiting jobs whenever it changes (metrics).</param>
    public DynamicBatcher(Func<IReadOnlyList<TJob>, IReadOnlyList<TResult>> run, Func<TJob, object> key, BatcherOptions options,
        Action<int>? onBatch = null, Action<int>? onDepth = null)
    {
        if (options.MaxBatch < 1) throw new ArgumentOutOfRangeException(nameof(options), "a batch holds at least one job");
        if (options.MaxQueue < 1) throw new ArgumentOutOfRangeException(nameof(options), "the queue holds at least one job");
        (_run, _key, _options, _onBatch, _onDepth) = (run, key, options, onBatch, onDepth);
        _worker = Task.Factory.StartNew(Work, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
    }

    /// <summary>Jobs waiting (not yet running).</summary>
    public int Depth
    {
        get { lock (_gate) return _queue.Count; }
    }

    /// <summary>Queues <paramref name="job"/>; the task ends with its result, its own failure, or cancellation.</summary>
    public Task<TResult> Enqueue(TJob job, CancellationToken token)
    {
        token.ThrowIfCancellationRequested();
        var done = new TaskCompletionSource<TResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        LinkedListNode<Pending> node;
        lock (_gate)
        {
            if (_stopping) throw new ObjectDisposedException(nameof(DynamicBatcher<TJob, TResult>), "the server is shutting down");
            if (_queue.Count >= _options.MaxQueue) throw new QueueFullException(_options.MaxQueue);
            node = _queue.AddLast(new Pending(job, _key(job), done, default));
            _onDepth?.Invoke(_queue.Count);
        }
        var registration = token.Register(() => Cancel(node, token));
        lock (_gate) if (node.List is not null) node.Value = node.Value with { Registration = registration };
        _arrived.Release();
        return done.Task;
    }

    private void Cancel(LinkedListNode<Pending> node, CancellationToken token)
    {
        lock (_gate)
        {
            if (node.List is not null)
            {
                _queue.Remove(node);
                _onDepth?.Invoke(_queue.Count);
            }
        }
        // A job already running finishes, but its caller stops waiting for it.
        node.Value.Done.TrySetCanceled(token);
    }

    private void Work()
    {
        while (true)
        {
            _arrived.Wait();
            List<Pending> batch;
            lock (_gate)
            {
                if (_queue.Count == 0)
                {
                    if (_stopping) return;
                    continue;
                }
            }
            // Give requests for the same plan a moment to arrive; a full batch goes at once.
            if (_options.Window > TimeSpan.Zero && !FullBatchWaiting()) Thread.Sleep(_options.Window);
            lock (_gate)
            {
                batch = TakeBatch();
                _onDepth?.Invoke(_queue.Count);
            }
            if (batch.Count > 0) Run(batch);
        }
    }

    private bool FullBatchWaiting()
    {
        lock (_gate)
        {
            if (_queue.First is not { } first) return true;
            return _queue.Count(p => Equals(p.Key, first.Value.Key)) >= _options.MaxBatch;
        }
    }

    // The oldest job and the next ones with its key, oldest first.
    private List<Pending> TakeBatch()
    {
        var batch = new List<Pending>();
        if (_queue.First is not { } first) return batch;
        var key = first.Value.Key;
        for (var node = _queue.First; node is not null && batch.Count < _options.MaxBatch;)
        {
            var next = node.Next;
            if (Equals(node.Value.Key, key))
            {
                _queue.Remove(node);
                batch.Add(node.Value);
            }
            node = next;
        }
        return batch;
    }

    private void Run(List<Pending> batch)
    {
        foreach (var p in batch) p.Registration.Dispose();
        batch.RemoveAll(p => p.Done.Task.IsCompleted);
        if (batch.Count == 0) return;
        _onBatch?.Invoke(batch.Count);
        try
        {
            var results = _run([.. batch.Select(p => p.Job)]);
            if (results.Count != batch.Count) throw new InvalidOperationException($"a batch of {batch.Count} gave {results.Count} results");
            for (int i = 0; i < batch.Count; i++) batch[i].Done.TrySetResult(results[i]);
        }
        catch (Exception) when (batch.Count > 1)
        {
            // Find the job that failed: each runs alone and gets its own result or error.
            foreach (var p in batch) Run([p]);
        }
        catch (Exception e)
        {
            batch[0].Done.TrySetException(e);
        }
    }

    /// <summary>Refuses new jobs, runs those already queued, and waits for the worker to finish.</summary>
    public async ValueTask DisposeAsync()
    {
        lock (_gate)
        {
            if (_stopping) return;
            _stopping = true;
        }
        _arrived.Release();
        await _worker.ConfigureAwait(false);
        _arrived.Dispose();
    }
}
