namespace VoxTile.Server.Batching;

/// <summary>The batcher's queue is full: the request is refused (429) rather than left to wait without bound.</summary>
internal sealed class QueueFullException(int capacity) : Exception($"the server is busy: {capacity} jobs are already waiting; retry shortly");
