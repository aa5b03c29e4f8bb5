using System.Collections;
using Razorvine.Pickle;

namespace VoxTile.Models.Checkpoints;

/// <summary>
/// torch._utils._rebuild_tensor_v2(storage, storage_offset, size, stride, requires_grad, backward_hooks[, metadata]).
/// Only records the view; requires_grad, the (always empty) hooks and the metadata do not matter for inference.
/// </summary>
internal sealed class RebuildTensorConstructor : IObjectConstructor
{
    public object construct(object[] args)
    {
        if (args.Length is < 4 or > 7)
            throw new PickleException($"_rebuild_tensor_v2 called with {args.Length} arguments (4 to 7 expected)");
        if (args[0] is not StorageRef storage)
            throw new PickleException("_rebuild_tensor_v2: the first argument is not a storage");
        long offset = ToLong(args[1], "storage_offset");
        var size = ToLongs(args[2], "size");
        var stride = ToLongs(args[3], "stride");
        if (size.Length != stride.Length)
            throw new PickleException($"_rebuild_tensor_v2: size has {size.Length} dimensions but stride has {stride.Length}");
        return new PickledTensor(storage, offset, size, stride);
    }

    internal static long ToLong(object? value, string what) => value switch
    {
        int i => i,
        long l => l,
        System.Numerics.BigInteger b when b >= long.MinValue && b <= long.MaxValue => (long)b,
        _ => throw new PickleException($"_rebuild_tensor_v2: {what} is not an integer"),
    };

    private static long[] ToLongs(object? value, string what)
    {
        if (value is not IEnumerable items || value is string)
            throw new PickleException($"_rebuild_tensor_v2: {what} is not a tuple of integers");
        var result = new List<long>();
        foreach (var item in items) result.Add(ToLong(item, what));
        return [.. result];
    }
}
