/* Shared by the AVX-512 tiles: the epilogue (bias, activation, residual, store with bf16 rounding). */
#include <immintrin.h>

#include "vt_internal.h"

static inline __m256i vt_bf16_round512(__m512 v) {
    const __m512i u = _mm512_castps_si512(v);
    const __m512i lsb = _mm512_and_si512(_mm512_srli_epi32(u, 16), _mm512_set1_epi32(1));
    __m512i r = _mm512_srli_epi32(_mm512_add_epi32(u, _mm512_add_epi32(lsb, _mm512_set1_epi32(0x7fff))), 16);
    r = _mm512_mask_mov_epi32(r, _mm512_cmp_ps_mask(v, v, _CMP_UNORD_Q), _mm512_set1_epi32(0x7fc0));
    return _mm512_cvtepi32_epi16(r);
}

static inline __m512 vt_bf16_load512(__mmask16 k, const uint16_t* p) {
    return _mm512_castsi512_ps(_mm512_slli_epi32(_mm512_cvtepu16_epi32(_mm256_maskz_loadu_epi16(k, p)), 16));
}

static inline __attribute__((always_inline)) void vt_epilogue512(const vt_gemm_tile* t, const __m512* acc, int mr,
                                                                 int nv) {
    if (t->plain) {
        float* out = (float*)t->out;
#pragma GCC unroll 16
        for (int m = 0; m < mr; ++m)
#pragma GCC unroll 4
            for (int j = 0; j < nv; ++j) _mm512_storeu_ps(out + m * t->out_ld + j * 16, acc[m * nv + j]);
        return;
    }
    const __m512 slope = _mm512_set1_ps(t->slope);
#pragma GCC unroll 4
    for (int j = 0; j < nv; ++j) {
        const int n0 = j * 16;
        int left = t->n_valid - n0;
        if (left <= 0) break;
        const __mmask16 k = left >= 16 ? (__mmask16)0xffff : (__mmask16)((1u << left) - 1u);
        const __m512 bias = t->bias ? _mm512_loadu_ps(t->bias + n0) : _mm512_setzero_ps();
#pragma GCC unroll 16
        for (int m = 0; m < mr; ++m) {
            __m512 y = _mm512_add_ps(acc[m * nv + j], bias);
            if (t->act == VT_ACTIVATION_RELU)
                y = _mm512_max_ps(y, _mm512_setzero_ps());
            else if (t->act == VT_ACTIVATION_LEAKY_RELU)
                y = _mm512_mask_mul_ps(y, _mm512_cmp_ps_mask(y, _mm512_setzero_ps(), _CMP_LT_OQ), y, slope);
            if (t->res) {
                if (t->res_dtype == VT_DTYPE_F32)
                    y = _mm512_add_ps(y, _mm512_maskz_loadu_ps(k, (const float*)t->res + m * t->res_ld + n0));
                else
                    y = _mm512_add_ps(y, vt_bf16_load512(k, (const uint16_t*)t->res + m * t->res_ld + n0));
            }
            if (t->out_dtype == VT_DTYPE_F32)
                _mm512_mask_storeu_ps((float*)t->out + m * t->out_ld + n0, k, y);
            else
                _mm256_mask_storeu_epi16((uint16_t*)t->out + m * t->out_ld + n0, k, vt_bf16_round512(y));
        }
    }
}
