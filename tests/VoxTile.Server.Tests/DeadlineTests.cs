using System.Diagnostics;
using VoxTile.Server.Batching;
using VoxTile.Server.Http;

namespace VoxTile.Server.Tests;

/// <summary>
/// A request whose deadline passes while its batch is already running gets its 504 at the deadline, not a late answer or
/// a 500 (the load test's finding: 16 concurrent 5 s clones, the second batch of 8 ran past the 120 s deadline and its
/// requests were answered 500 "OperationCanceledException" when the batch ended).
/// </summary>
public sealed class DeadlineTests
{
    [Fact]
    public async Task TheDeadlinePassingWhileTheBatchRunsIs504AtTheDeadline()
    {
        using var release = new ManualResetEventSlim();
        await using var batcher = new DynamicBatcher<int, int>(jobs => { release.Wait(TimeSpan.FromSeconds(30)); return jobs; }, _ => 0,
            new BatcherOptions(MaxBatch: 1, MaxQueue: 4, Window: TimeSpan.Zero));
        using var scope = new RequestScope(new Microsoft.AspNetCore.Http.DefaultHttpContext(), TimeSpan.FromMilliseconds(300));
        var clock = Stopwatch.StartNew();
        var waiting = scope.Await(batcher.Enqueue(1, scope.Token));
        try
        {
            await Assert.ThrowsAsync<RequestDeadlineException>(() => waiting.WaitAsync(TimeSpan.FromSeconds(20)));
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"the 504 came {clock.Elapsed.TotalSeconds:F1} s after a 0.3 s deadline");
        }
        finally { release.Set(); }
    }
}
