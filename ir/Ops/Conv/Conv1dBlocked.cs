using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace VoxTile.IR.Ops.Conv;

/// <summary>
/// The register-blocked inner kernel of the reference conv1d on AVX2/FMA machines: 4 output channels × 32 time steps
/// of accumulators stay in registers across every (input channel, tap), so each FMA costs a quarter load instead of a
/// load and a store. Weights are packed [cin/groups][k][4] per block of 4 output channels.
/// </summary>
internal static class Conv1dBlocked
{
    public static bool Supported => Fma.IsSupported && Avx2.IsSupported;

    /// <summary>Packs w [cout, cing, k] for output channels o0..o0+3 (zero beyond <paramref name="on"/>).</summary>
    public static float[] Pack(Tensor w, int o0, int on)
    {
        int cing = w.Shape[1], k = w.Shape[2];
        var p = new float[cing * k * 4];
        for (int j = 0; j < on; j++)
            for (int ci = 0; ci < cing; ci++)
                for (int kk = 0; kk < k; kk++)
                    p[(ci * k + kk) * 4 + j] = w.Data[((long)(o0 + j) * cing + ci) * k + kk];
        return p;
    }

    /// <summary>
    /// acc rows (4 × tn, pre-filled with the bias) += Σ over (ci, kk) of packed weight × src row. <paramref name="rowStart"/>
    /// gives the index in <paramref name="src"/> of the first sample that time step 0 of this tile reads for (ci, kk).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static unsafe void Run(float[] src, Func<int, int, long> rowStart, float[] packed, int cing, int k, Span<float> acc, int tn)
    {
        var starts = new long[cing * k];
        for (int ci = 0; ci < cing; ci++)
            for (int kk = 0; kk < k; kk++)
                starts[ci * k + kk] = rowStart(ci, kk);
        int taps = cing * k;
        fixed (float* s = src, pw = packed, a = acc)
        fixed (long* st = starts)
        {
            int t = 0;
            for (; t + 32 <= tn; t += 32)
            {
                float* a0 = a + t, a1 = a + tn + t, a2 = a + 2 * tn + t, a3 = a + 3 * tn + t;
                var c00 = Avx.LoadVector256(a0); var c01 = Avx.LoadVector256(a0 + 8); var c02 = Avx.LoadVector256(a0 + 16); var c03 = Avx.LoadVector256(a0 + 24);
                var c10 = Avx.LoadVector256(a1); var c11 = Avx.LoadVector256(a1 + 8); var c12 = Avx.LoadVector256(a1 + 16); var c13 = Avx.LoadVector256(a1 + 24);
                var c20 = Avx.LoadVector256(a2); var c21 = Avx.LoadVector256(a2 + 8); var c22 = Avx.LoadVector256(a2 + 16); var c23 = Avx.LoadVector256(a2 + 24);
                var c30 = Avx.LoadVector256(a3); var c31 = Avx.LoadVector256(a3 + 8); var c32 = Avx.LoadVector256(a3 + 16); var c33 = Avx.LoadVector256(a3 + 24);
                for (int i = 0; i < taps; i++)
                {
                    float* x = s + st[i] + t;
                    var x0 = Avx.LoadVector256(x); var x1 = Avx.LoadVector256(x + 8); var x2 = Avx.LoadVector256(x + 16); var x3 = Avx.LoadVector256(x + 24);
                    float* w = pw + i * 4;
                    var w0 = Vector256.Create(w[0]);
                    c00 = Fma.MultiplyAdd(x0, w0, c00); c01 = Fma.MultiplyAdd(x1, w0, c01); c02 = Fma.MultiplyAdd(x2, w0, c02); c03 = Fma.MultiplyAdd(x3, w0, c03);
                    var w1 = Vector256.Create(w[1]);
                    c10 = Fma.MultiplyAdd(x0, w1, c10); c11 = Fma.MultiplyAdd(x1, w1, c11); c12 = Fma.MultiplyAdd(x2, w1, c12); c13 = Fma.MultiplyAdd(x3, w1, c13);
                    var w2 = Vector256.Create(w[2]);
                    c20 = Fma.MultiplyAdd(x0, w2, c20); c21 = Fma.MultiplyAdd(x1, w2, c21); c22 = Fma.MultiplyAdd(x2, w2, c22); c23 = Fma.MultiplyAdd(x3, w2, c23);
                    var w3 = Vector256.Create(w[3]);
                    c30 = Fma.MultiplyAdd(x0, w3, c30); c31 = Fma.MultiplyAdd(x1, w3, c31); c32 = Fma.MultiplyAdd(x2, w3, c32); c33 = Fma.MultiplyAdd(x3, w3, c33);
                }
                Avx.Store(a0, c00); Avx.Store(a0 + 8, c01); Avx.Store(a0 + 16, c02); Avx.Store(a0 + 24, c03);
                Avx.Store(a1, c10); Avx.Store(a1 + 8, c11); Avx.Store(a1 + 16, c12); Avx.Store(a1 + 24, c13);
                Avx.Store(a2, c20); Avx.Store(a2 + 8, c21); Avx.Store(a2 + 16, c22); Avx.Store(a2 + 24, c23);
                Avx.Store(a3, c30); Avx.Store(a3 + 8, c31); Avx.Store(a3 + 16, c32); Avx.Store(a3 + 24, c33);
            }
            for (; t < tn; t++)
            {
                float r0 = a[t], r1 = a[tn + t], r2 = a[2 * tn + t], r3 = a[3 * tn + t];
                for (int i = 0; i < taps; i++)
                {
                    float xv = s[st[i] + t];
                    float* w = pw + i * 4;
                    // Fused like the vector lanes, so a value does not depend on whether it fell in the tail.
                    r0 = MathF.FusedMultiplyAdd(w[0], xv, r0); r1 = MathF.FusedMultiplyAdd(w[1], xv, r1);
                    r2 = MathF.FusedMultiplyAdd(w[2], xv, r2); r3 = MathF.FusedMultiplyAdd(w[3], xv, r3);
                }
                a[t] = r0; a[tn + t] = r1; a[2 * tn + t] = r2; a[3 * tn + t] = r3;
            }
        }
    }
}
