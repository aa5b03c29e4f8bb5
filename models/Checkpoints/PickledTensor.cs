namespace VoxTile.Models.Checkpoints;

/// <summary>
/// A tensor as _rebuild_tensor_v2 describes it: a view (offset, sizes, strides, all in elements) into a storage. It stays
/// a description until the loader materialises it, so tensors outside the state dict are never read.
/// </summary>
internal sealed class PickledTensor(StorageRef storage, long offset, long[] size, long[] stride)
{
    /// <summary>Creation order within the thread's unpickling, used to order keys of a plain (unordered) dict.</summary>
    public long Sequence { get; } = PickleTicks.Next();
    public StorageRef Storage { get; } = storage;
    public long Offset { get; } = offset;
    public long[] Size { get; } = size;
    public long[] Stride { get; } = stride;

    public string ShapeString => "[" + string.Join(",", Size) + "]";
}
