using System.Runtime.InteropServices;

namespace VoxTile.Runtime.Native;

/// <summary>64-byte aligned native memory from vt_alloc, freed with vt_free.</summary>
public sealed unsafe class NativeBuffer : SafeHandle
{
    private NativeBuffer() : base(0, ownsHandle: true) { }

    public long Length { get; private set; }

    public override bool IsInvalid => handle == 0;

    public static NativeBuffer Allocate(long bytes)
    {
        var b = new NativeBuffer();
        void* p;
        VtNative.Alloc(bytes, &p).ThrowIfFailed();
        b.SetHandle((nint)p);
        b.Length = bytes;
        return b;
    }

    /// <summary>A buffer sized for a dense tensor of this dtype, layout and shape.</summary>
    public static NativeBuffer For(VtDtype dtype, ReadOnlySpan<long> shape, VtLayout layout = VtLayout.RowMajor)
    {
        var t = VtTensor.Create(null, dtype, shape, layout);
        long bytes;
        VtNative.TensorBytes(&t, &bytes).ThrowIfFailed();
        return Allocate(bytes);
    }

    public void* Pointer => (void*)handle;

    public Span<T> AsSpan<T>() where T : unmanaged
    {
        ObjectDisposedException.ThrowIf(IsClosed, this);
        return new Span<T>((void*)handle, checked((int)(Length / sizeof(T))));
    }

    /// <summary>A dense tensor view of this buffer.</summary>
    public VtTensor View(VtDtype dtype, ReadOnlySpan<long> shape, VtLayout layout = VtLayout.RowMajor) =>
        VtTensor.Create(Pointer, dtype, shape, layout);

    protected override bool ReleaseHandle()
    {
        VtNative.Free((void*)handle);
        return true;
    }
}
