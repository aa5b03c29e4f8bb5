/* AVX2 + FMA GEMM tiles (fp32 FMA; in bf16 math the panels hold bf16-rounded values). */
#include <immintrin.h>

#include "vt_internal.h"

static inline __m256 vt_act256(const vt_gemm_tile* t, __m256 y) {
    if (t->act == VT_ACTIVATION_RELU) return _mm256_max_ps(y, _mm256_setzero_ps());
    if (t->act == VT_ACTIVATION_LEAKY_RELU) {
        const __m256 neg = _mm256_cmp_ps(y, _mm256_setzero_ps(), _CMP_LT_OQ);
        return _mm256_blendv_ps(y, _mm256_mul_ps(y, _mm256_set1_ps(t->slope)), neg);
    }
    return y;
}

static inline __m128i vt_bf16_round256(__m256 v) {
    const __m256i u = _mm256_castps_si256(v);
    const __m256i lsb = _mm256_and_si256(_mm256_srli_epi32(u, 16), _mm256_set1_epi32(1));
    __m256i r = _mm256_srli_epi32(_mm256_add_epi32(u, _mm256_add_epi32(lsb, _mm256_set1_epi32(0x7fff))), 16);
    const __m256i nan = _mm256_castps_si256(_mm256_cmp_ps(v, v, _CMP_UNORD_Q));
    r = _mm256_blendv_epi8(r, _mm256_set1_epi32(0x7fc0), nan);
    return _mm_packus_epi32(_mm256_castsi256_si128(r), _mm256_extracti128_si256(r, 1));
}

static inline __attribute__((always_inline)) void vt_epilogue256(const vt_gemm_tile* t, const __m256* acc, int mr,
                                                                 int nv) {
    if (t->plain) {
        float* out = (float*)t->out;
#pragma GCC unroll 16
        for (int m = 0; m < mr; ++m)
#pragma GCC unroll 8
            for (int j = 0; j < 2 * nv; ++j) _mm256_storeu_ps(out + m * t->out_ld + j * 8, acc[m * 2 * nv + j]);
        return;
    }
#pragma GCC unroll 8
    for (int j = 0; j < 2 * nv; ++j) {
        const int n0 = j * 8;
        const int left = t->n_valid - n0;
        if (left <= 0) break;
        const __m256 bias = t->bias ? _mm256_loadu_ps(t->bias + n0) : _mm256_setzero_ps();
#pragma GCC unroll 16
        for (int m = 0; m < mr; ++m) {
            __m256 y = vt_act256(t, _mm256_add_ps(acc[m * 2 * nv + j], bias));
            if (left >= 8) {
                if (t->res) {
                    __m256 r;
                    if (t->res_dtype == VT_DTYPE_F32)
                        r = _mm256_loadu_ps((const float*)t->res + m * t->res_ld + n0);
                    else
                        r = _mm256_castsi256_ps(_mm256_slli_epi32(
                            _mm256_cvtepu16_epi32(_mm_loadu_si128((const __m128i*)((const uint16_t*)t->res + m * t->res_ld + n0))),
                            16));
                    y = _mm256_add_ps(y, r);
                }
                if (t->out_dtype == VT_DTYPE_F32)
                    _mm256_storeu_ps((float*)t->out + m * t->out_ld + n0, y);
                else
                    _mm_storeu_si128((__m128i*)((uint16_t*)t->out + m * t->out_ld + n0), vt_bf16_round256(y));
            } else {
                float tmp[8];
                _mm256_storeu_ps(tmp, y);
                for (int l = 0; l < left; ++l) {
                    float v = tmp[l];
                    if (t->res) v += vt_load_elem(t->res, t->res_dtype, m * t->res_ld + n0 + l);
                    vt_store_elem(t->out, t->out_dtype, m * t->out_ld + n0 + l, v);
                }
            }
        }
    }
}

#define VT_MR 1
#define VT_NV 1
#include "gemm_avx2_body.h"
#undef VT_MR
#define VT_MR 2
#include "gemm_avx2_body.h"
#undef VT_MR
#define VT_MR 3
#include "gemm_avx2_body.h"
#undef VT_MR
#define VT_MR 4
#include "gemm_avx2_body.h"
#undef VT_MR
#define VT_MR 5
#include "gemm_avx2_body.h"
#undef VT_MR
#define VT_MR 6
#include "gemm_avx2_body.h"
#undef VT_MR
#undef VT_NV

/* one width only (nv_max 1 in core/init.c): 6 rows x 16 channels is 12 accumulators, 2 weight loads and 6 broadcasts
   per 12 FMAs; a 3 x 32 tile (the same 12 accumulators) streams twice the weight panel per FMA from L2 and ran
   20-35 % slower on the converter's convs */
typedef void (*vt_tile_fn)(const vt_gemm_tile*);
static const vt_tile_fn vt_tiles_1[7] = {NULL, vt_tile_avx2_1x1, vt_tile_avx2_2x1, vt_tile_avx2_3x1,
                                         vt_tile_avx2_4x1, vt_tile_avx2_5x1, vt_tile_avx2_6x1};

void vt_gemm_tile_avx2(const vt_gemm_tile* t) { vt_tiles_1[t->mr](t); }
