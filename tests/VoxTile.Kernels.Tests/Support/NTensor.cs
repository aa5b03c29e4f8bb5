using System.Runtime.InteropServices;
using VoxTile.Runtime.Native;

namespace VoxTile.Kernels.Tests.Support;

/// <summary>
/// A tensor in native memory with its descriptor at a stable address, for passing to kernels. Values go in and come
/// out through the C# <see cref="Formats"/> (not through the kernels under test).
/// </summary>
public sealed unsafe class NTensor : IDisposable
{
    private readonly NativeBuffer _buffer;
    private VtTensor* _desc;

    public long[] Shape { get; }
    public VtDtype Dtype { get; }
    public VtLayout Layout { get; }

    private NTensor(long[] shape, VtDtype dtype, VtLayout layout)
    {
        Shape = shape;
        Dtype = dtype;
        Layout = layout;
        _buffer = NativeBuffer.For(dtype, shape, layout);
        _buffer.AsSpan<byte>().Clear();
        _desc = (VtTensor*)NativeMemory.Alloc((nuint)sizeof(VtTensor));
        *_desc = _buffer.View(dtype, shape, layout);
    }

    public VtTensor* Ptr => _desc;

    public long Count => Shape.Aggregate(1L, (a, b) => a * b);

    public static NTensor Empty(long[] shape, VtDtype dtype, VtLayout layout = VtLayout.RowMajor) => new(shape, dtype, layout);

    public static NTensor Of(float[] values, long[] shape, VtDtype dtype, VtLayout layout = VtLayout.RowMajor)
    {
        var t = new NTensor(shape, dtype, layout);
        t.Write(values);
        return t;
    }

    public static NTensor Of(float[] values, params long[] shape) => Of(values, shape, VtDtype.F32);

    private (int Batch, int Rows, int Cols) Matrices()
    {
        int cols = (int)Shape[^1], rows = Shape.Length >= 2 ? (int)Shape[^2] : 1;
        return ((int)(Count / Math.Max(1, (long)rows * cols)), rows, cols);
    }

    public void Write(float[] values)
    {
        if (values.Length != Count) throw new ArgumentException($"{values.Length} values for {Count} elements");
        if (Layout == VtLayout.Tile)
        {
            var (b, r, c) = Matrices();
            Formats.PackTiles(values, b, r, c, Dtype).CopyTo(_buffer.AsSpan<byte>());
            return;
        }
        switch (Dtype)
        {
            case VtDtype.F32: values.CopyTo(_buffer.AsSpan<float>()); break;
            case VtDtype.Bf16:
                var h = _buffer.AsSpan<ushort>();
                for (var i = 0; i < values.Length; i++) h[i] = Formats.Bf16Bits(values[i]);
                break;
            case VtDtype.U32:
                var u = _buffer.AsSpan<uint>();
                for (var i = 0; i < values.Length; i++) u[i] = (uint)Formats.Stored(values[i], VtDtype.U32);
                break;
            default: throw new InvalidOperationException($"{Dtype} is tile-only");
        }
    }

    public float[] Read()
    {
        if (Layout == VtLayout.Tile)
        {
            var (b, r, c) = Matrices();
            return Formats.UnpackTiles(_buffer.AsSpan<byte>(), b, r, c, Dtype);
        }
        var n = (int)Count;
        var result = new float[n];
        switch (Dtype)
        {
            case VtDtype.F32: _buffer.AsSpan<float>()[..n].CopyTo(result); break;
            case VtDtype.Bf16:
                var h = _buffer.AsSpan<ushort>();
                for (var i = 0; i < n; i++) result[i] = Formats.FromBf16(h[i]);
                break;
            default:
                var u = _buffer.AsSpan<uint>();
                for (var i = 0; i < n; i++) result[i] = u[i];
                break;
        }
        return result;
    }

    public ReadOnlySpan<byte> Bytes => _buffer.AsSpan<byte>();

    public void Dispose()
    {
        if (_desc != null)
        {
            NativeMemory.Free(_desc);
            _desc = null;
        }
        _buffer.Dispose();
    }
}
