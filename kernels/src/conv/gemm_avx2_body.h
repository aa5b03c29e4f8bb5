/* One AVX2 GEMM tile of VT_MR rows x VT_NV blocks of 16 channels (two ymm each); included once per shape. */
#define VT_FN2_(mr, nv) vt_tile_avx2_##mr##x##nv
#define VT_FN2(mr, nv) VT_FN2_(mr, nv)

static void VT_FN2(VT_MR, VT_NV)(const vt_gemm_tile* t) {
    __m256 acc[VT_MR][2 * VT_NV];
#pragma GCC unroll 8
    for (int m = 0; m < VT_MR; ++m)
#pragma GCC unroll 4
        for (int j = 0; j < 2 * VT_NV; ++j) acc[m][j] = _mm256_setzero_ps();
    const float* a = (const float*)t->a;
    const float* b = (const float*)t->b;
    const int64_t ar = t->a_row, at = t->a_tap, bn = t->b_nv;
    /* undilated taps over dense rows follow each other in A as in B: one loop over taps x channels, not a short
       loop per tap (the same products in the same order) */
    const int32_t flat = at == t->cin, cn = flat ? t->cin * t->taps : t->cin, taps = flat ? 1 : t->taps;
    for (int32_t tap = 0; tap < taps; ++tap) {
        const float* ap = a + tap * at;
        const float* bp = b + (int64_t)tap * cn * 16;
        for (int32_t c = 0; c < cn; ++c) {
            __m256 bv[2 * VT_NV];
#pragma GCC unroll 4
            for (int j = 0; j < 2 * VT_NV; ++j) bv[j] = _mm256_load_ps(bp + (j >> 1) * bn + c * 16 + (j & 1) * 8);
#pragma GCC unroll 8
            for (int m = 0; m < VT_MR; ++m) {
                const __m256 av = _mm256_broadcast_ss(ap + m * ar + c);
#pragma GCC unroll 4
                for (int j = 0; j < 2 * VT_NV; ++j) acc[m][j] = _mm256_fmadd_ps(av, bv[j], acc[m][j]);
            }
        }
    }
    vt_epilogue256(t, &acc[0][0], VT_MR, VT_NV);
}

#undef VT_FN2
#undef VT_FN2_
