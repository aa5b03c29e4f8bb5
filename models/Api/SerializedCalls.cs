namespace VoxTile.Models.Api;

/// <summary>
/// What makes each public API type thread-safe: its calls run one at a time on one lock (the device plans and their
/// memory belong to the instance), none after <see cref="Dispose"/>, which releases the instance's backends once.
/// </summary>
internal sealed class SerializedCalls(object owner, params IDisposable?[] owned) : IDisposable
{
    private readonly Lock _gate = new();
    private bool _disposed;

    /// <summary>Runs <paramref name="work"/> alone; throws <see cref="ObjectDisposedException"/> (naming the owner) once disposed.</summary>
    public T Run<T>(Func<T> work)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, owner);
            return work();
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed) return;
            _disposed = true;
            foreach (var d in owned) d?.Dispose();
        }
    }
}
