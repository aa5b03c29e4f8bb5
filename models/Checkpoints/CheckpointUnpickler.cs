using Razorvine.Pickle;
using VoxTile.IR;

namespace VoxTile.Models.Checkpoints;

/// <summary>
/// Razorvine's unpickler with torch.save's persistent ids resolved to storages of one zip. The constructors for the
/// allowed globals are registered once in Razorvine's process-wide table; the allow-list itself is enforced beforehand by
/// <see cref="PickleGlobalScanner"/>, so only these constructors can ever be reached.
/// </summary>
internal sealed class CheckpointUnpickler(TorchZip zip) : Unpickler
{
    private readonly Dictionary<string, StorageRef> _storages = new(StringComparer.Ordinal);

    static CheckpointUnpickler()
    {
        registerConstructor("collections", "OrderedDict", new OrderedDictConstructor());
        registerConstructor("torch._utils", "_rebuild_tensor_v2", new RebuildTensorConstructor());
        registerConstructor("torch._utils", "_rebuild_parameter", new RebuildParameterConstructor());
        foreach (var (name, dtype) in TorchStorageType.Known)
            registerConstructor("torch", name, new TorchStorageType(name, dtype));
    }

    /// <summary>The constructor Razorvine will use for a global (the table is shared, so check nobody replaced ours).</summary>
    internal static bool OwnsConstructors =>
        objectConstructors.TryGetValue("torch._utils._rebuild_tensor_v2", out var c) && c is RebuildTensorConstructor
        && objectConstructors.TryGetValue("collections.OrderedDict", out var o) && o is OrderedDictConstructor;

    // torch.save's persistent id for a storage: ('storage', StorageClass, key, location, numel).
    protected override object persistentLoad(object pid)
    {
        PickleTicks.Next();
        if (pid is not object[] { Length: 5 } t || t[0] is not "storage")
            throw new VoxTileException($"{zip.What}: unsupported persistent id in the pickle (only torch storages are allowed)");
        if (t[1] is not TorchStorageType type)
            throw new VoxTileException($"{zip.What}: a storage's type is not a torch storage class");
        if (t[2] is not string key)
            throw new VoxTileException($"{zip.What}: a storage key is not a string");
        long numel = t[4] switch
        {
            int i => i,
            long l => l,
            _ => throw new VoxTileException($"{zip.What}: storage '{FileText.Printable(key)}' has a non-integer size"),
        };
        if (_storages.TryGetValue(key, out var known))
        {
            if (known.DType != type.DType)
                throw new VoxTileException($"{zip.What}: storage '{FileText.Printable(key)}' is used as both {known.DType} and {type.DType}");
            return known;
        }
        var storage = zip.Storage(key, type.DType, numel);
        _storages.Add(key, storage);
        return storage;
    }
}
