using VoxTile.Server.Batching;

namespace VoxTile.Server.Tests;

/// <summary>The batcher alone: batches by key within the window, isolates failures, bounds the queue, drops cancelled jobs.</summary>
public sealed class DynamicBatcherTests
{
    private static readonly BatcherOptions Wide = new(MaxBatch: 4, MaxQueue: 16, Window: TimeSpan.FromMilliseconds(100));

    [Fact]
    public async Task JobsOfOneKeyArrivingTogetherRunAsOneBatch()
    {
        var batches = new List<int[]>();
        await using var batcher = new DynamicBatcher<int, int>(jobs => { lock (batches) batches.Add([.. jobs]); return [.. jobs.Select(j => j * 10)]; },
            j => j % 2, Wide);
        var results = await Task.WhenAll(new[] { 1, 2, 3, 4, 5, 7, 9 }.Select(j => batcher.Enqueue(j, CancellationToken.None)));
        Assert.Equal(new[] { 10, 20, 30, 40, 50, 70, 90 }, results);
        Assert.All(batches, b => Assert.Single(b.Select(j => j % 2).Distinct()));
        Assert.Contains(batches, b => b.Length == 4);
        Assert.All(batches, b => Assert.True(b.Length <= 4));
    }

    [Fact]
    public async Task OneFailingJobDoesNotFailItsBatchMates()
    {
        var sizes = new List<int>();
        await using var batcher = new DynamicBatcher<int, int>(jobs => jobs.Contains(13) ? throw new InvalidOperationException("bad job") : [.. jobs.Select(j => -j)],
            _ => 0, Wide, onBatch: sizes.Add);
        var tasks = new[] { 11, 12, 13, 14 }.Select(j => batcher.Enqueue(j, CancellationToken.None)).ToList();
        await Assert.ThrowsAsync<InvalidOperationException>(() => tasks[2]);
        Assert.Equal(new[] { -11, -12, -14 }, await Task.WhenAll(tasks[0], tasks[1], tasks[3]));
        Assert.Equal(4, sizes[0]);
    }

    [Fact]
    public async Task AFullQueueRefusesAndACancelledJobNeverRuns()
    {
        var ran = new List<int>();
        using var gate = new ManualResetEventSlim();
        await using var batcher = new DynamicBatcher<int, int>(jobs => { gate.Wait(); lock (ran) ran.AddRange(jobs); return jobs; },
            _ => 0, new BatcherOptions(MaxBatch: 1, MaxQueue: 2, Window: TimeSpan.Zero));
        var first = batcher.Enqueue(1, CancellationToken.None);
        while (batcher.Depth > 0) await Task.Delay(5); // the worker holds job 1
        using var cancel = new CancellationTokenSource();
        var second = batcher.Enqueue(2, cancel.Token);
        var third = batcher.Enqueue(3, CancellationToken.None);
        Assert.Throws<QueueFullException>(() => { _ = batcher.Enqueue(4, CancellationToken.None); });
        cancel.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => second);
        Assert.Equal(1, batcher.Depth);
        gate.Set();
        Assert.Equal(1, await first);
        Assert.Equal(3, await third);
        Assert.Equal([1, 3], ran);
    }
}
