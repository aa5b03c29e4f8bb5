using Razorvine.Pickle;

namespace VoxTile.Models.Checkpoints;

/// <summary>
/// What the unpickler pushes for a storage class global (torch.FloatStorage, ...). torch.save only uses the class as a
/// dtype tag inside a persistent id, so it is never called; calling it means the pickle is not a plain state dict.
/// </summary>
internal sealed class TorchStorageType(string name, StorageDType dtype) : IObjectConstructor
{
    /// <summary>The storage classes a state dict may name, with the dtype each one tags.</summary>
    public static readonly IReadOnlyDictionary<string, StorageDType> Known = new Dictionary<string, StorageDType>(StringComparer.Ordinal)
    {
        ["FloatStorage"] = StorageDType.Float32,
        ["HalfStorage"] = StorageDType.Float16,
        ["BFloat16Storage"] = StorageDType.BFloat16,
        ["DoubleStorage"] = StorageDType.Float64,
        ["LongStorage"] = StorageDType.Int64,
        ["IntStorage"] = StorageDType.Int32,
        ["ShortStorage"] = StorageDType.Int16,
        ["CharStorage"] = StorageDType.Int8,
        ["ByteStorage"] = StorageDType.UInt8,
        ["BoolStorage"] = StorageDType.Bool,
        // torch >= 2 writes raw byte storages (never a tensor's typed storage) with this class.
        ["UntypedStorage"] = StorageDType.UInt8,
    };

    public string Name { get; } = name;
    public StorageDType DType { get; } = dtype;

    public object construct(object[] args) =>
        throw new PickleException($"the storage class torch.{Name} was called (a state dict only uses it as a tag)");

    public static int ElementSize(StorageDType dtype) => dtype switch
    {
        StorageDType.Float32 or StorageDType.Int32 => 4,
        StorageDType.Float16 or StorageDType.BFloat16 or StorageDType.Int16 => 2,
        StorageDType.Float64 or StorageDType.Int64 => 8,
        _ => 1,
    };
}
