using VoxTile.IR;
using VoxTile.Lowering.Planning;
using VoxTile.Lowering.Targets;

namespace VoxTile.Runtime.Execution;

/// <summary>
/// The device's memory as the plan uses it: DRAM banks and one L1 bank per Tensix core, with the target's
/// capacities (<see cref="TargetSpec"/>). Like tt-metal's allocator, banks of one kind are allocated in lockstep
/// (one address on every bank), so one address space per kind models them all: a DRAM-interleaved tensor takes
/// ⌈pages / banks⌉ pages of each DRAM bank, an L1-interleaved one ⌈pages / cores⌉ of each core's L1, a sharded one
/// its shard on each core. L1 tensors are placed top-down, first fit; an op's circular buffers grow up from the
/// unreserved base and must end below the lowest live L1 tensor. Whatever does not fit fails as the device would,
/// naming the op, the tensor and the bytes. The bytes themselves live in host memory (<see cref="DeviceTensor"/>).
/// A reshape TTNN runs as a view (<see cref="Share"/>) takes no memory: it holds its operand's buffer, which is freed
/// when the last tensor holding it is freed (TTNN's <c>deallocate(force=False)</c> on a shared buffer).
/// </summary>
public sealed class DeviceMemory
{
    private readonly L1Allocator _l1;
    private readonly L1Allocator _dram;
    private readonly Dictionary<int, (BufferType Buffer, long PerBank)> _placed = [];

    /// <summary>Each live tensor's buffer: the id it was allocated under (its own, or a view's operand's).</summary>
    private readonly Dictionary<int, int> _bufferOf = [];

    /// <summary>Live tensors holding each buffer.</summary>
    private readonly Dictionary<int, int> _holders = [];

    public DeviceMemory(TargetSpec target)
    {
        Target = target;
        L1BytesPerCore = target.L1BytesPerCore - target.L1ReservedPerCore;
        DramBytesPerBank = target.DramBytes / target.DramBanks;
        _l1 = new L1Allocator(L1BytesPerCore, 0);
        _dram = new L1Allocator(DramBytesPerBank, 0);
    }

    public TargetSpec Target { get; }

    /// <summary>Allocatable L1 per core (above the firmware's reserved region).</summary>
    public long L1BytesPerCore { get; }

    public long DramBytesPerBank { get; }

    public long L1InUsePerCore { get; private set; }
    public long DramInUsePerBank { get; private set; }
    public long PeakL1PerCore { get; private set; }
    public long PeakDramPerBank { get; private set; }

    /// <summary>Bytes per bank a tensor of <paramref name="type"/> takes where its memory config puts it.</summary>
    public long BytesPerBank(TensorType type)
    {
        var m = type.Memory ?? MemoryConfig.DramInterleaved;
        if (m.Buffer == BufferType.L1)
        {
            if (m.Shard is { } s && s.Cores > Target.Cores)
                throw new VoxTileException($"a shard over {s.Cores} cores does not fit the {Target.Cores}-core grid of {Target.Name}");
            return TensorFootprint.PerCoreBytes(type, m, Target);
        }
        long pages = TensorFootprint.Pages(type);
        return TensorFootprint.Align((pages + Target.DramBanks - 1) / Target.DramBanks * TensorFootprint.PageBytes(type));
    }

    /// <summary>Places tensor <paramref name="id"/> as its type's memory config says, or fails naming <paramref name="op"/>.</summary>
    public void Allocate(int id, string name, TensorType type, string op)
    {
        var buffer = (type.Memory ?? MemoryConfig.DramInterleaved).Buffer;
        long perBank = BytesPerBank(type);
        if (buffer == BufferType.L1)
        {
            if (_l1.Allocate(id, perBank) is null)
                throw new VoxTileException($"{op}: out of L1 memory: %{name} ({type}) needs {Show(perBank)} per core; "
                    + $"{Show(L1InUsePerCore)} of {Show(L1BytesPerCore)} per core is in use on {Target.Name}, no free block holds it");
            L1InUsePerCore += TensorFootprint.Align(Math.Max(perBank, 1));
            PeakL1PerCore = Math.Max(PeakL1PerCore, L1InUsePerCore);
        }
        else
        {
            if (_dram.Allocate(id, perBank) is null)
                throw new VoxTileException($"{op}: out of DRAM: %{name} ({type}) needs {Show(perBank)} per bank over {Target.DramBanks} banks; "
                    + $"{Show(DramInUsePerBank)} of {Show(DramBytesPerBank)} per bank is in use on {Target.Name}");
            DramInUsePerBank += TensorFootprint.Align(Math.Max(perBank, 1));
            PeakDramPerBank = Math.Max(PeakDramPerBank, DramInUsePerBank);
        }
        _placed[id] = (buffer, TensorFootprint.Align(Math.Max(perBank, 1)));
        _bufferOf[id] = id;
        _holders[id] = 1;
    }

    /// <summary>Tensor <paramref name="id"/> is a view of live tensor <paramref name="of"/>: it holds the same buffer and allocates nothing.</summary>
    public void Share(int id, int of, string op)
    {
        if (!_bufferOf.TryGetValue(of, out var buffer)) throw new VoxTileException($"{op}: a view of a tensor that is not on the device");
        if (!_bufferOf.TryAdd(id, buffer)) throw new InvalidOperationException($"tensor {id} is placed twice");
        _holders[buffer]++;
    }

    public bool IsAllocated(int id) => _bufferOf.ContainsKey(id);

    /// <summary>Frees tensor <paramref name="id"/>: its buffer goes back when no other tensor holds it.</summary>
    public void Free(int id)
    {
        if (!_bufferOf.Remove(id, out var buffer)) return;
        if (--_holders[buffer] > 0) return;
        _holders.Remove(buffer);
        if (!_placed.Remove(buffer, out var p)) return;
        if (p.Buffer == BufferType.L1)
        {
            _l1.Free(buffer);
            L1InUsePerCore -= p.PerBank;
        }
        else
        {
            _dram.Free(buffer);
            DramInUsePerBank -= p.PerBank;
        }
    }

    /// <summary>
    /// Checks that an op's circular buffers (<paramref name="cbBytes"/> per core, from the op's working-set model)
    /// end below the lowest live L1 tensor, as tt-metal checks before it launches a program.
    /// </summary>
    public void CheckCircularBuffers(long cbBytes, string op)
    {
        long lowest = _l1.Lowest;
        if (cbBytes > lowest)
            throw new VoxTileException($"{op}: statically allocated circular buffers ({Show(cbBytes)} per core) clash with L1 buffers "
                + $"(the lowest live L1 tensor starts {Show(lowest)} above the unreserved base of {Target.Name})");
        PeakL1PerCore = Math.Max(PeakL1PerCore, _l1.InUse(cbBytes));
    }

    private static string Show(long bytes) => $"{bytes:N0} B";
}
