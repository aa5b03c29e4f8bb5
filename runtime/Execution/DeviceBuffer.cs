namespace VoxTile.Runtime.Execution;

/// <summary>
/// One 64-byte aligned native allocation holding a tensor's bytes, shared by the tensors that alias it (a reshape
/// or a move between memory configs keeps the bytes where they are). The last release hands it back to its pool.
/// </summary>
internal sealed class DeviceBuffer
{
    private readonly BufferPool? _pool;
    private int _references = 1;

    public DeviceBuffer(nint pointer, long bytes, BufferPool? pool)
    {
        Pointer = pointer;
        Bytes = bytes;
        _pool = pool;
    }

    public nint Pointer { get; private set; }
    public long Bytes { get; }

    public DeviceBuffer Share()
    {
        if (_references <= 0) throw new InvalidOperationException("buffer used after release");
        _references++;
        return this;
    }

    public void Release()
    {
        if (--_references > 0) return;
        if (_references < 0) throw new InvalidOperationException("buffer released twice");
        if (_pool is not null) _pool.Return(Pointer, Bytes);
        else NativeKernels.Free(Pointer);
        Pointer = 0;
    }
}

/// <summary>
/// Reuses native allocations by size: a plan allocates the same sizes on every run (and every chunk), so after the
/// first run no step calls the allocator. Freed memory is kept up to <see cref="Limit"/> bytes.
/// </summary>
internal sealed class BufferPool : IDisposable
{
    private readonly Dictionary<long, Stack<nint>> _free = [];
    private long _held;

    public long Limit { get; init; } = 1L << 30;

    public DeviceBuffer Rent(long bytes)
    {
        bytes = (bytes + 63) & ~63L;
        if (_free.TryGetValue(bytes, out var stack) && stack.Count > 0)
        {
            _held -= bytes;
            return new DeviceBuffer(stack.Pop(), bytes, this);
        }
        return new DeviceBuffer(NativeKernels.Alloc(bytes), bytes, this);
    }

    public void Return(nint p, long bytes)
    {
        if (_held + bytes > Limit)
        {
            NativeKernels.Free(p);
            return;
        }
        if (!_free.TryGetValue(bytes, out var stack)) _free[bytes] = stack = new Stack<nint>();
        stack.Push(p);
        _held += bytes;
    }

    public void Dispose()
    {
        foreach (var s in _free.Values)
            while (s.Count > 0) NativeKernels.Free(s.Pop());
        _free.Clear();
        _held = 0;
    }
}
