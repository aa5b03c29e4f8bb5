/* Portable C GEMM tile: the reference every SIMD variant is compared with. Panels are f32 (holding bf16-rounded
   values in bf16 math, so every product is exact and only the fp32 accumulation rounds). Written with GCC/Clang
   vector types of 16 floats (one panel row): the compiler lowers them to whatever the target has (4 SSE2 or NEON
   vectors), and two rows share each panel row's load. The plain loops it replaced were vectorized across the
   channels instead (a transpose per step) and ran at 4-5 GFLOP/s per core. Each output still sums its products in
   tap, then channel order, one multiply and one add each where the target has no FMA, as before. */
#include "vt_internal.h"

typedef float vt_v16 __attribute__((vector_size(64), aligned(4), may_alias));

static void vt_portable_store(const vt_gemm_tile* t, int32_t m, int32_t v, const float* y16) {
    for (int l = 0; l < 16; ++l) {
        const int32_t n = v * 16 + l;
        if (n >= t->n_valid) break;
        float y = y16[l] + (t->bias ? t->bias[n] : 0.0f);
        y = vt_activate((vt_activation)t->act, t->slope, y);
        if (t->res) y += vt_load_elem(t->res, t->res_dtype, m * t->res_ld + n);
        vt_store_elem(t->out, t->out_dtype, m * t->out_ld + n, y);
    }
}

/* rows m and m + 1 of panel v */
static void vt_portable_two(const vt_gemm_tile* t, int32_t m, int32_t v) {
    const float* bv = (const float*)t->b + v * t->b_nv;
    vt_v16 acc0 = {0}, acc1 = {0};
    for (int32_t tap = 0; tap < t->taps; ++tap) {
        const float* a0 = (const float*)t->a + m * t->a_row + tap * t->a_tap;
        const float* a1 = a0 + t->a_row;
        const float* br = bv + (int64_t)tap * t->cin * 16;
        for (int32_t c = 0; c < t->cin; ++c) {
            const vt_v16 w = *(const vt_v16*)(br + c * 16);
            acc0 += a0[c] * w;
            acc1 += a1[c] * w;
        }
    }
    float y[2][16];
    *(vt_v16*)y[0] = acc0;
    *(vt_v16*)y[1] = acc1;
    vt_portable_store(t, m, v, y[0]);
    vt_portable_store(t, m + 1, v, y[1]);
}

static void vt_portable_one(const vt_gemm_tile* t, int32_t m, int32_t v) {
    const float* bv = (const float*)t->b + v * t->b_nv;
    vt_v16 acc = {0};
    for (int32_t tap = 0; tap < t->taps; ++tap) {
        const float* a0 = (const float*)t->a + m * t->a_row + tap * t->a_tap;
        const float* br = bv + (int64_t)tap * t->cin * 16;
        for (int32_t c = 0; c < t->cin; ++c) acc += a0[c] * *(const vt_v16*)(br + c * 16);
    }
    float y[16];
    *(vt_v16*)y = acc;
    vt_portable_store(t, m, v, y);
}

void vt_gemm_tile_portable(const vt_gemm_tile* t) {
    for (int32_t v = 0; v < t->nv; ++v) {
        int32_t m = 0;
        for (; m + 2 <= t->mr; m += 2) vt_portable_two(t, m, v);
        if (m < t->mr) vt_portable_one(t, m, v);
    }
}
