using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace VoxTile.IR.Ops.Conv;

/// <summary>The inner loops of the reference convolutions: fused multiply-adds of one source row into several rows.</summary>
internal static class RowKernels
{
    /// <summary>dst[j][t] += w[j] · src[t] for four destination rows at once (one load of src feeds four FMAs).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Axpy4(ReadOnlySpan<float> src, float w0, float w1, float w2, float w3,
        Span<float> d0, Span<float> d1, Span<float> d2, Span<float> d3)
    {
        int n = src.Length, i = 0, v = Vector<float>.Count;
        if (Vector.IsHardwareAccelerated && n >= v)
        {
            var s = MemoryMarshal.Cast<float, Vector<float>>(src);
            var a0 = MemoryMarshal.Cast<float, Vector<float>>(d0);
            var a1 = MemoryMarshal.Cast<float, Vector<float>>(d1);
            var a2 = MemoryMarshal.Cast<float, Vector<float>>(d2);
            var a3 = MemoryMarshal.Cast<float, Vector<float>>(d3);
            var v0 = new Vector<float>(w0); var v1 = new Vector<float>(w1);
            var v2 = new Vector<float>(w2); var v3 = new Vector<float>(w3);
            for (int k = 0; k < s.Length; k++)
            {
                var x = s[k];
                a0[k] = Vector.FusedMultiplyAdd(x, v0, a0[k]);
                a1[k] = Vector.FusedMultiplyAdd(x, v1, a1[k]);
                a2[k] = Vector.FusedMultiplyAdd(x, v2, a2[k]);
                a3[k] = Vector.FusedMultiplyAdd(x, v3, a3[k]);
            }
            i = s.Length * v;
        }
        for (; i < n; i++)
        {
            float x = src[i];
            d0[i] = MathF.FusedMultiplyAdd(w0, x, d0[i]); d1[i] = MathF.FusedMultiplyAdd(w1, x, d1[i]);
            d2[i] = MathF.FusedMultiplyAdd(w2, x, d2[i]); d3[i] = MathF.FusedMultiplyAdd(w3, x, d3[i]);
        }
    }

    /// <summary>dst[t] += w · src[t].</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Axpy(ReadOnlySpan<float> src, float w, Span<float> dst)
    {
        int n = src.Length, i = 0, v = Vector<float>.Count;
        if (Vector.IsHardwareAccelerated && n >= v)
        {
            var s = MemoryMarshal.Cast<float, Vector<float>>(src);
            var a = MemoryMarshal.Cast<float, Vector<float>>(dst);
            var vw = new Vector<float>(w);
            for (int k = 0; k < s.Length; k++) a[k] = Vector.FusedMultiplyAdd(s[k], vw, a[k]);
            i = s.Length * v;
        }
        for (; i < n; i++) dst[i] = MathF.FusedMultiplyAdd(w, src[i], dst[i]);
    }
}
