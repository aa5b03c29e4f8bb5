namespace VoxTile.Server.Batching;

/// <param name="MaxBatch">the most jobs one batch runs (the server's --max-batch).</param>
/// <param name="MaxQueue">the most jobs waiting; one more is refused (the server's --max-queue).</param>
/// <param name="Window">how long the first job of a batch waits for others with its key.</param>
internal sealed record BatcherOptions(int MaxBatch, int MaxQueue, TimeSpan Window);
