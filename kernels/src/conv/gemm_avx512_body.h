/* One AVX-512 GEMM tile of VT_MR rows x VT_NV vectors of 16 output channels; included once per shape.
   VT_BF16_PAIRS selects the vdpbf16ps form (A: bf16 pairs broadcast as 32 bits; B: [cin/2][16][2] bf16). */
#define VT_FN_(mr, nv, sfx) vt_tile_##sfx##_##mr##x##nv
#define VT_FN(mr, nv, sfx) VT_FN_(mr, nv, sfx)

static void VT_FN(VT_MR, VT_NV, VT_SUFFIX)(const vt_gemm_tile* t) {
    __m512 acc[VT_MR][VT_NV];
#pragma GCC unroll 16
    for (int m = 0; m < VT_MR; ++m)
#pragma GCC unroll 4
        for (int j = 0; j < VT_NV; ++j) acc[m][j] = _mm512_setzero_ps();
#if VT_BF16_PAIRS
    const int32_t* a = (const int32_t*)t->a;
    const int32_t* b = (const int32_t*)t->b;
    const int64_t ar = t->a_row / 2, at = t->a_tap / 2, bn = t->b_nv / 2;
    const int32_t cn0 = t->cin / 2;
#else
    const float* a = (const float*)t->a;
    const float* b = (const float*)t->b;
    const int64_t ar = t->a_row, at = t->a_tap, bn = t->b_nv;
    const int32_t cn0 = t->cin;
#endif
    /* undilated taps over dense rows follow each other in A as in B: one loop over taps x channels, not a short
       loop per tap (the same products in the same order) */
    const int32_t flat = at == cn0, cn = flat ? cn0 * t->taps : cn0, taps = flat ? 1 : t->taps;
    for (int32_t tap = 0; tap < taps; ++tap) {
        const __typeof__(a) ap = a + tap * at;
        const __typeof__(b) bp = b + (int64_t)tap * cn * 16;
        for (int32_t c = 0; c < cn; ++c) {
#if VT_BF16_PAIRS
            __m512i bv[VT_NV];
#pragma GCC unroll 4
            for (int j = 0; j < VT_NV; ++j) bv[j] = _mm512_load_si512((const void*)(bp + j * bn + c * 16));
#pragma GCC unroll 16
            for (int m = 0; m < VT_MR; ++m) {
                const __m512i av = _mm512_set1_epi32(ap[m * ar + c]);
#pragma GCC unroll 4
                for (int j = 0; j < VT_NV; ++j) acc[m][j] = _mm512_dpbf16_ps(acc[m][j], (__m512bh)av, (__m512bh)bv[j]);
            }
#else
            __m512 bv[VT_NV];
#pragma GCC unroll 4
            for (int j = 0; j < VT_NV; ++j) bv[j] = _mm512_load_ps(bp + j * bn + c * 16);
#pragma GCC unroll 16
            for (int m = 0; m < VT_MR; ++m) {
                const __m512 av = _mm512_set1_ps(ap[m * ar + c]);
#pragma GCC unroll 4
                for (int j = 0; j < VT_NV; ++j) acc[m][j] = _mm512_fmadd_ps(av, bv[j], acc[m][j]);
            }
#endif
        }
    }
    vt_epilogue512(t, &acc[0][0], VT_MR, VT_NV);
}

#undef VT_FN
#undef VT_FN_
