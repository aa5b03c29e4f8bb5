/* Portable C GEMM tile: the reference every SIMD variant is compared with. Panels are f32 (holding bf16-rounded
   values in bf16 math, so every product is exact and only the fp32 accumulation rounds). */
#include "vt_internal.h"

void vt_gemm_tile_portable(const vt_gemm_tile* t) {
    const float* a = t->a;
    const float* b = t->b;
    for (int32_t m = 0; m < t->mr; ++m) {
        for (int32_t v = 0; v < t->nv; ++v) {
            float acc[16] = {0};
            const float* bv = b + v * t->b_nv;
            for (int32_t tap = 0; tap < t->taps; ++tap) {
                const float* ar = a + m * t->a_row + tap * t->a_tap;
                const float* br = bv + (int64_t)tap * t->cin * 16;
                for (int32_t c = 0; c < t->cin; ++c) {
                    const float x = ar[c];
                    for (int l = 0; l < 16; ++l) acc[l] += x * br[c * 16 + l];
                }
            }
            for (int l = 0; l < 16; ++l) {
                const int32_t n = v * 16 + l;
                if (n >= t->n_valid) break;
                float y = acc[l] + (t->bias ? t->bias[n] : 0.0f);
                y = vt_activate((vt_activation)t->act, t->slope, y);
                if (t->res) y += vt_load_elem(t->res, t->res_dtype, m * t->res_ld + n);
                vt_store_elem(t->out, t->out_dtype, m * t->out_ld + n, y);
            }
        }
    }
}
