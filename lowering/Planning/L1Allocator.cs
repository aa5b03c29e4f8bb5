namespace VoxTile.Lowering.Planning;

/// <summary>
/// A simulation of tt-metal's L1 allocator on one core's address space [0, <see cref="Top"/>): tensors are placed
/// top-down, first fit (the highest free block that holds them, at its top), and circular buffers grow up from 0
/// while an op runs; an op fits when its CBs end at or below the lowest live tensor (otherwise tt-metal reports
/// "circular buffers clash with L1 buffers"). Tensors never go below <see cref="Floor"/>, which keeps room for the
/// CBs of the move that spills a tensor. Holes left by freed tensors count: the peak includes fragmentation.
/// </summary>
public sealed class L1Allocator(long top, long floor)
{
    private readonly SortedList<long, long> _free = new() { [floor] = top - floor }; // start → size
    private readonly Dictionary<int, (long Address, long Size)> _live = [];

    public long Top { get; } = top;
    public long Floor { get; } = floor;

    public IReadOnlyDictionary<int, (long Address, long Size)> Live => _live;

    /// <summary>The lowest address of a live tensor (the top when none is live): CBs must end at or below it.</summary>
    public long Lowest
    {
        get
        {
            long low = Top;
            foreach (var (a, _) in _live.Values) low = Math.Min(low, a);
            return low;
        }
    }

    /// <summary>L1 in use while an op with <paramref name="cbBytes"/> of CBs runs: its CBs plus everything from the lowest tensor up.</summary>
    public long InUse(long cbBytes) => cbBytes + (Top - Lowest);

    /// <summary>Places tensor <paramref name="id"/> top-down, first fit; its address, or null when no free block holds it.</summary>
    public long? Allocate(int id, long size)
    {
        if (_live.ContainsKey(id)) throw new InvalidOperationException($"tensor {id} is allocated twice");
        size = TensorFootprint.Align(Math.Max(size, 1));
        for (int i = _free.Count - 1; i >= 0; i--)
        {
            long start = _free.Keys[i], len = _free.Values[i];
            if (len < size) continue;
            long address = start + len - size;
            if (len == size) _free.RemoveAt(i);
            else _free[start] = len - size;
            _live[id] = (address, size);
            return address;
        }
        return null;
    }

    public void Free(int id)
    {
        if (!_live.Remove(id, out var block)) throw new InvalidOperationException($"tensor {id} is not allocated");
        long start = block.Address, size = block.Size;
        int i = IndexAfter(start);
        if (i < _free.Count && _free.Keys[i] == start + size)
        {
            size += _free.Values[i];
            _free.RemoveAt(i);
        }
        if (i > 0 && _free.Keys[i - 1] + _free.Values[i - 1] == start)
        {
            start = _free.Keys[i - 1];
            size += _free.Values[i - 1];
            _free.RemoveAt(i - 1);
        }
        _free[start] = size;
    }

    private int IndexAfter(long address)
    {
        int lo = 0, hi = _free.Count;
        while (lo < hi)
        {
            int mid = (lo + hi) / 2;
            if (_free.Keys[mid] < address) lo = mid + 1;
            else hi = mid;
        }
        return lo;
    }
}
