using System.Buffers.Binary;
using System.Runtime.InteropServices;
using VoxTile.IR;

namespace VoxTile.Models.Checkpoints;

/// <summary>
/// Turns a pickled view into a dense row-major fp32 tensor: honours the storage offset and any (non-negative) strides,
/// so a transposed or sliced view comes out as the values the view shows, and converts every storage dtype to fp32.
/// Storage bytes are cached per key because several tensors may share one storage.
/// </summary>
internal sealed class TensorMaterializer(TorchZip zip)
{
    private const long MaxExpandedElements = 1L << 26;

    private readonly Dictionary<string, byte[]> _bytes = new(StringComparer.Ordinal);

    public Tensor Materialize(string name, PickledTensor t)
    {
        string what = $"{zip.What}: tensor '{FileText.Printable(name)}'";
        var shape = new int[t.Size.Length];
        long count = 1;
        for (int i = 0; i < shape.Length; i++)
        {
            if (t.Size[i] < 0 || t.Size[i] > int.MaxValue)
                throw new VoxTileException($"{what} has an invalid size {t.ShapeString}");
            if (t.Stride[i] < 0)
                throw new VoxTileException($"{what} has a negative stride");
            shape[i] = (int)t.Size[i];
            count = checked(count * shape[i]);
        }
        if (count > Array.MaxLength)
            throw new VoxTileException($"{what} is too large ({count} elements)");
        // Only a stride-0 (expanded) view shows more elements than its storage holds; cap it so a tiny file cannot make
        // the loader allocate gigabytes.
        if (count > t.Storage.Numel && count > MaxExpandedElements)
            throw new VoxTileException($"{what} expands storage '{FileText.Printable(t.Storage.Key)}' ({t.Storage.Numel} elements) to {count} elements; refusing");
        var data = new float[count];
        if (count == 0) return new Tensor(shape, data);

        // The last element the view touches must lie inside the storage.
        long last = t.Offset;
        for (int i = 0; i < shape.Length; i++) last = checked(last + (shape[i] - 1L) * t.Stride[i]);
        if (t.Offset < 0 || last >= t.Storage.Numel)
            throw new VoxTileException($"{what} (offset {t.Offset}, size {t.ShapeString}) reaches element {last} of storage '{FileText.Printable(t.Storage.Key)}', which has {t.Storage.Numel}");

        if (!_bytes.TryGetValue(t.Storage.Key, out var bytes))
        {
            bytes = zip.ReadStorage(t.Storage);
            _bytes.Add(t.Storage.Key, bytes);
        }
        var dtype = t.Storage.DType;

        if (shape.Length == 0)
        {
            ConvertRun(bytes, dtype, t.Offset, 1, data.AsSpan(0, 1));
            return new Tensor(shape, data);
        }

        // Walk the outer axes with an odometer and convert one innermost run at a time.
        int rank = shape.Length;
        int inner = shape[rank - 1];
        long innerStride = t.Stride[rank - 1];
        var index = new int[rank - 1];
        long src = t.Offset;
        for (long dst = 0; dst < count; dst += inner)
        {
            ConvertRun(bytes, dtype, src, innerStride, data.AsSpan((int)dst, inner));
            for (int axis = rank - 2; axis >= 0; axis--)
            {
                src += t.Stride[axis];
                if (++index[axis] < shape[axis]) break;
                src -= t.Stride[axis] * shape[axis];
                index[axis] = 0;
            }
        }
        return new Tensor(shape, data);
    }

    /// <summary>Convert <c>dst.Length</c> elements starting at element <paramref name="start"/>, <paramref name="stride"/> apart.</summary>
    private static void ConvertRun(byte[] bytes, StorageDType dtype, long start, long stride, Span<float> dst)
    {
        if (dtype == StorageDType.Float32 && stride == 1 && BitConverter.IsLittleEndian)
        {
            MemoryMarshal.Cast<byte, float>(bytes.AsSpan(checked((int)(start * 4)), dst.Length * 4)).CopyTo(dst);
            return;
        }
        int size = TorchStorageType.ElementSize(dtype);
        var b = bytes.AsSpan();
        long at = start * size, step = stride * size;
        switch (dtype)
        {
            case StorageDType.Float32:
                for (int i = 0; i < dst.Length; i++, at += step) dst[i] = BinaryPrimitives.ReadSingleLittleEndian(b[(int)at..]);
                break;
            case StorageDType.Float16:
                for (int i = 0; i < dst.Length; i++, at += step) dst[i] = (float)BinaryPrimitives.ReadHalfLittleEndian(b[(int)at..]);
                break;
            case StorageDType.BFloat16:
                // bfloat16 is the top half of an fp32 bit pattern.
                for (int i = 0; i < dst.Length; i++, at += step)
                    dst[i] = BitConverter.Int32BitsToSingle(BinaryPrimitives.ReadUInt16LittleEndian(b[(int)at..]) << 16);
                break;
            case StorageDType.Float64:
                for (int i = 0; i < dst.Length; i++, at += step) dst[i] = (float)BinaryPrimitives.ReadDoubleLittleEndian(b[(int)at..]);
                break;
            case StorageDType.Int64:
                for (int i = 0; i < dst.Length; i++, at += step) dst[i] = BinaryPrimitives.ReadInt64LittleEndian(b[(int)at..]);
                break;
            case StorageDType.Int32:
                for (int i = 0; i < dst.Length; i++, at += step) dst[i] = BinaryPrimitives.ReadInt32LittleEndian(b[(int)at..]);
                break;
            case StorageDType.Int16:
                for (int i = 0; i < dst.Length; i++, at += step) dst[i] = BinaryPrimitives.ReadInt16LittleEndian(b[(int)at..]);
                break;
            case StorageDType.Int8:
                for (int i = 0; i < dst.Length; i++, at += step) dst[i] = (sbyte)b[(int)at];
                break;
            case StorageDType.UInt8:
                for (int i = 0; i < dst.Length; i++, at += step) dst[i] = b[(int)at];
                break;
            case StorageDType.Bool:
                for (int i = 0; i < dst.Length; i++, at += step) dst[i] = b[(int)at] != 0 ? 1f : 0f;
                break;
            default:
                throw new InvalidOperationException($"unhandled storage dtype {dtype}");
        }
    }
}
