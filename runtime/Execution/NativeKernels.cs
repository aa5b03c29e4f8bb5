using System.Runtime.InteropServices;
using VoxTile.IR;
using VoxTile.Runtime.Native;

namespace VoxTile.Runtime.Execution;

/// <summary>
/// The executor's one door to the native kernels (runtime/Native's generated bindings): a failing status becomes a
/// <see cref="VoxTileException"/> with the kernel's own message and the step it ran for, and a library that does not
/// load becomes one naming what was looked for. Everything else in Execution speaks <see cref="DeviceTensor"/>.
/// </summary>
internal static unsafe class NativeKernels
{
    private static readonly Lock s_initLock = new();
    private static int s_threads = int.MinValue;

    /// <summary>Starts the persistent thread pool once per process (again only when the thread count changes).</summary>
    public static void Init(int threads)
    {
        lock (s_initLock)
        {
            if (s_threads == threads) return;
            try { KernelLibrary.Initialize(threads); }
            catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException or BadImageFormatException)
            {
                throw new VoxTileException($"the native kernel library cannot be loaded on {RuntimeInformation.RuntimeIdentifier} ({RuntimeInformation.ProcessArchitecture}): {e.Message}", e);
            }
            catch (KernelException e) { throw new VoxTileException($"the native kernel library refused to start: {e.Message}", e); }
            s_threads = threads;
        }
    }

    public static int Threads => VtNative.ThreadCount();

    public static string Isa => KernelLibrary.IsaName(VtNative.GetIsa());

    public static void Check(VtStatus status, string what)
    {
        if (status == VtStatus.Ok) return;
        var message = Marshal.PtrToStringUTF8((nint)VtNative.LastError());
        throw new VoxTileException($"{what}: {(string.IsNullOrEmpty(message) ? $"kernel status {status}" : message)}");
    }

    public static nint Alloc(long bytes)
    {
        void* p;
        Check(VtNative.Alloc(Math.Max(bytes, 64), &p), "vt_alloc");
        return (nint)p;
    }

    public static void Free(nint p) => VtNative.Free((void*)p);

    public static VtDtype DTypeOf(DType t) => t switch
    {
        DType.F32 => VtDtype.F32,
        DType.BF16 => VtDtype.Bf16,
        DType.BFP8_B => VtDtype.Bfp8B,
        DType.BFP4_B => VtDtype.Bfp4B,
        DType.U32 or DType.I32 => VtDtype.U32, // 32-bit integers; the kernels read them as u32 bit patterns
        _ => throw new ArgumentOutOfRangeException(nameof(t)),
    };

    /// <summary>A dense native view over <paramref name="data"/> (row-major strides; a rank-0 value is [1]).</summary>
    public static VtTensor View(nint data, ReadOnlySpan<int> shape, DType dtype, Layout layout)
    {
        if (shape.Length > VtNativeConstants.MaxRank) throw new VoxTileException($"rank {shape.Length} is above the kernels' {VtNativeConstants.MaxRank}");
        Span<long> s = stackalloc long[Math.Max(shape.Length, 1)];
        if (shape.Length == 0) s[0] = 1;
        for (int i = 0; i < shape.Length; i++) s[i] = shape[i];
        return VtTensor.Create((void*)data, DTypeOf(dtype), s, layout == Layout.Tile ? VtLayout.Tile : VtLayout.RowMajor);
    }

    public static long Bytes(ReadOnlySpan<int> shape, DType dtype, Layout layout)
    {
        var v = View(0, shape, dtype, layout);
        long bytes;
        Check(VtNative.TensorBytes(&v, &bytes), "vt_tensor_bytes");
        return bytes;
    }

    public static void Typecast(VtTensor x, VtTensor y, string what) => Check(VtNative.Typecast(&x, &y), what);

    public static WeightsHandle WeightsCreate(VtTensor w, int groups, DType math, string what)
    {
        try { return WeightsHandle.Create(w, groups, DTypeOf(math)); }
        catch (KernelException e) { throw new VoxTileException($"{what}: preparing the weights: {e.Message}", e); }
    }

    public static WeightsHandle ConvTransposeWeightsCreate(VtTensor w, int groups, VtConvTranspose1dParams geometry, DType math, string what)
    {
        try { return WeightsHandle.CreateTransposed(w, groups, geometry, DTypeOf(math)); }
        catch (KernelException e) { throw new VoxTileException($"{what}: preparing the weights: {e.Message}", e); }
    }

    public static void ConvTranspose1d(VtTensor x, WeightsHandle w, VtTensor? bias, VtConvTranspose1dParams p, VtTensor y, string what)
    {
        VtTensor b = bias ?? default;
        Check(VtNative.ConvTranspose1d(&x, w.Pointer, bias is null ? null : &b, null, &p, &y), what);
    }

    public static void Conv1d(VtTensor x, WeightsHandle w, VtTensor? bias, VtTensor? residual, VtConv1dParams p, VtTensor y, string what)
    {
        VtTensor b = bias ?? default, r = residual ?? default;
        Check(VtNative.Conv1d(&x, w.Pointer, bias is null ? null : &b, residual is null ? null : &r, &p, &y), what);
    }

    public static void Conv2d(VtTensor x, WeightsHandle w, VtTensor? bias, VtConv2dParams p, VtTensor y, string what)
    {
        VtTensor b = bias ?? default;
        Check(VtNative.Conv2d(&x, w.Pointer, bias is null ? null : &b, null, &p, &y), what);
    }

    public static void Matmul(VtTensor a, VtTensor b, VtTensor? bias, VtMatmulParams p, VtTensor y, string what)
    {
        VtTensor c = bias ?? default;
        Check(VtNative.Matmul(&a, &b, bias is null ? null : &c, &p, &y), what);
    }

    public static void Unary(VtUnaryOp op, float param, VtTensor x, VtTensor y, string what) => Check(VtNative.Unary(op, param, &x, &y), what);

    public static void Binary(VtBinaryOp op, VtTensor a, VtTensor b, VtTensor y, string what) => Check(VtNative.Binary(op, &a, &b, &y), what);

    public static void Where(VtTensor c, VtTensor a, VtTensor b, VtTensor y, string what) => Check(VtNative.Where(&c, &a, &b, &y), what);

    public static void Cumsum(VtTensor x, int dim, VtTensor y, string what) => Check(VtNative.Cumsum(&x, dim, 0, &y), what);

    public static void Reduce(VtReduceOp op, VtTensor x, int dim, VtTensor y, string what) => Check(VtNative.Reduce(op, &x, dim, &y), what);

    public static void Softmax(VtTensor x, int dim, VtTensor y, string what) => Check(VtNative.Softmax(&x, dim, &y), what);

    public static void LayerNorm(VtTensor x, VtTensor? gamma, VtTensor? beta, float eps, VtTensor y, string what)
    {
        VtTensor g = gamma ?? default, b = beta ?? default;
        Check(VtNative.LayerNorm(&x, gamma is null ? null : &g, beta is null ? null : &b, eps, &y), what);
    }

    public static void Embedding(VtTensor ids, VtTensor table, VtTensor y, string what) => Check(VtNative.Embedding(&ids, &table, &y), what);

    public static void Pad(VtTensor x, long[] before, long[] after, float value, VtTensor y, string what)
    {
        fixed (long* b = before, a = after) Check(VtNative.Pad(&x, b, a, value, &y), what);
    }

    public static void Concat(VtTensor[] xs, int dim, VtTensor y, string what)
    {
        fixed (VtTensor* p = xs)
        {
            var ptrs = stackalloc VtTensor*[xs.Length];
            for (int i = 0; i < xs.Length; i++) ptrs[i] = p + i;
            Check(VtNative.Concat(ptrs, xs.Length, dim, &y), what);
        }
    }

    public static void Slice(VtTensor x, long[] begins, long[] steps, VtTensor y, string what)
    {
        fixed (long* b = begins, s = steps) Check(VtNative.Slice(&x, b, s, &y), what);
    }

    public static void Transpose(VtTensor x, int dim0, int dim1, VtTensor y, string what) => Check(VtNative.Transpose(&x, dim0, dim1, &y), what);

    public static void Reshape(VtTensor x, VtTensor y, string what) => Check(VtNative.Reshape(&x, &y), what);

    public static void Permute(VtTensor x, int[] perm, VtTensor y, string what)
    {
        fixed (int* p = perm) Check(VtNative.Permute(&x, p, &y), what);
    }
}
