/* Weights prepared once: reordered into panels of 16 output channels, taps outer, channels inner, in the
   element format the current instruction set's GEMM tile reads (the other format is derived on demand). */
#include "vt_internal.h"
#include "vt_winograd.h"

#include <pthread.h>
#include <stdlib.h>

static int64_t vt_panel_elems(const struct vt_weights* w) {
    return (int64_t)w->groups * w->nv_g * w->taps * w->cin_pad * 16;
}

static void vt_pack_f32_panels(struct vt_weights* w, const float* dense) {
    /* dense: [cout][cin_g][taps] */
    float* p = w->packed_f32;
    for (int32_t g = 0; g < w->groups; ++g)
        for (int32_t nv = 0; nv < w->nv_g; ++nv)
            for (int32_t t = 0; t < w->taps; ++t)
                for (int32_t c = 0; c < w->cin_pad; ++c)
                    for (int32_t l = 0; l < 16; ++l) {
                        int32_t n = nv * 16 + l;
                        float v = 0.0f;
                        if (n < w->cout_g && c < w->cin_g)
                            v = dense[((int64_t)(g * w->cout_g + n) * w->cin_g + c) * w->taps + t];
                        *p++ = v;
                    }
}

static void vt_f32_panels_to_bf16(struct vt_weights* w) {
    const int64_t blocks = (int64_t)w->groups * w->nv_g * w->taps, pairs = w->cin_pad / 2;
    for (int64_t blk = 0; blk < blocks; ++blk) {
        const float* src = w->packed_f32 + blk * w->cin_pad * 16;
        uint16_t* dst = w->packed_bf16 + blk * w->cin_pad * 16;
        for (int64_t p = 0; p < pairs; ++p)
            for (int32_t l = 0; l < 16; ++l) {
                dst[(p * 16 + l) * 2] = vt_f32_to_bf16_bits(src[(2 * p) * 16 + l]);
                dst[(p * 16 + l) * 2 + 1] = vt_f32_to_bf16_bits(src[(2 * p + 1) * 16 + l]);
            }
    }
}

static void vt_bf16_panels_to_f32(struct vt_weights* w) {
    const int64_t blocks = (int64_t)w->groups * w->nv_g * w->taps, pairs = w->cin_pad / 2;
    for (int64_t blk = 0; blk < blocks; ++blk) {
        const uint16_t* src = w->packed_bf16 + blk * w->cin_pad * 16;
        float* dst = w->packed_f32 + blk * w->cin_pad * 16;
        for (int64_t p = 0; p < pairs; ++p)
            for (int32_t l = 0; l < 16; ++l) {
                dst[(2 * p) * 16 + l] = vt_bf16_bits_to_f32(src[(p * 16 + l) * 2]);
                dst[(2 * p + 1) * 16 + l] = vt_bf16_bits_to_f32(src[(p * 16 + l) * 2 + 1]);
            }
    }
}

vt_status vt_weights_init(struct vt_weights* w, const float* dense, int32_t cout, int32_t cin_g, int32_t groups,
                          int32_t kh, int32_t kw, vt_dtype math) {
    memset(w, 0, sizeof *w);
    if (math != VT_DTYPE_F32 && math != VT_DTYPE_BF16)
        return vt_fail(VT_STATUS_INVALID_ARGUMENT, "weights: math must be f32 or bf16, not %s", vt_dtype_name(math));
    if (cout <= 0 || cin_g <= 0 || groups <= 0 || kh <= 0 || kw <= 0)
        return vt_fail(VT_STATUS_INVALID_ARGUMENT, "weights: empty weight [%d, %d, %d, %d] with %d groups", cout, cin_g,
                       kh, kw, groups);
    if (cout % groups != 0)
        return vt_fail(VT_STATUS_INVALID_ARGUMENT, "weights: %d output channels do not split into %d groups", cout,
                       groups);
    w->cout = cout;
    w->cin_g = cin_g;
    w->groups = groups;
    w->kh = kh;
    w->kw = kw;
    w->taps = kh * kw;
    w->cout_g = cout / groups;
    w->nv_g = (w->cout_g + 15) / 16;
    w->cin_pad = (cin_g + 1) & ~1;
    w->math = math;
    w->owns = 1;
    const int64_t n = vt_panel_elems(w);
    w->packed_f32 = vt_malloc((size_t)n * sizeof(float));
    pthread_mutex_t* lock = malloc(sizeof *lock);
    if (!w->packed_f32 || !lock) {
        free(w->packed_f32);
        free(lock);
        w->packed_f32 = NULL;
        return vt_oom((size_t)n * sizeof(float));
    }
    pthread_mutex_init(lock, NULL);
    w->lock = lock;
    vt_pack_f32_panels(w, dense);
    if (math == VT_DTYPE_BF16)
        for (int64_t i = 0; i < n; ++i) w->packed_f32[i] = vt_round_bf16(w->packed_f32[i]);
    if (math == VT_DTYPE_BF16 && vt_kernels()->gemm_bf16.format == VT_PANEL_BF16) {
        /* keep only the format the kernels read */
        w->packed_bf16 = vt_malloc((size_t)n * sizeof(uint16_t));
        if (!w->packed_bf16) {
            vt_weights_release(w);
            return vt_oom((size_t)n * sizeof(uint16_t));
        }
        vt_f32_panels_to_bf16(w);
        free(w->packed_f32);
        w->packed_f32 = NULL;
    }
    return VT_STATUS_OK;
}

void vt_weights_release(struct vt_weights* w) {
    vt_winograd_release(w->winograd);
    if (w->phases) {
        for (int32_t r = 0; r < w->stride; ++r) vt_weights_release(&w->phases[r]);
        free(w->phases);
        free(w->phase_first_offset);
    }
    free(w->packed_f32);
    free(w->packed_bf16);
    if (w->lock) {
        pthread_mutex_destroy((pthread_mutex_t*)w->lock);
        free(w->lock);
    }
    memset(w, 0, sizeof *w);
}

vt_status vt_weights_panels(const struct vt_weights* cw, vt_panel_format f, const void** panels) {
    struct vt_weights* w = (struct vt_weights*)cw; /* the derived format is a cache */
    pthread_mutex_lock((pthread_mutex_t*)w->lock);
    vt_status st = VT_STATUS_OK;
    const int64_t n = vt_panel_elems(w);
    if (f == VT_PANEL_F32 && !w->packed_f32) {
        w->packed_f32 = vt_malloc((size_t)n * sizeof(float));
        if (w->packed_f32)
            vt_bf16_panels_to_f32(w);
        else
            st = vt_oom((size_t)n * sizeof(float));
    } else if (f == VT_PANEL_BF16 && !w->packed_bf16) {
        if (w->math != VT_DTYPE_BF16)
            st = vt_fail(VT_STATUS_INTERNAL, "f32-math weights have no bf16 panels");
        else if ((w->packed_bf16 = vt_malloc((size_t)n * sizeof(uint16_t))) != NULL)
            vt_f32_panels_to_bf16(w);
        else
            st = vt_oom((size_t)n * sizeof(uint16_t));
    }
    *panels = f == VT_PANEL_F32 ? (const void*)w->packed_f32 : (const void*)w->packed_bf16;
    pthread_mutex_unlock((pthread_mutex_t*)w->lock);
    return st;
}

vt_status vt_weights_create(const vt_tensor* weight, int32_t groups, vt_dtype math, vt_weights** out) {
    vt_clear_error();
    VT_TRY(vt_require_init());
    if (!out) return vt_fail(VT_STATUS_INVALID_ARGUMENT, "vt_weights_create: out is NULL");
    *out = NULL;
    VT_TRY(vt_check_tensor(weight, "weights"));
    if (weight->rank != 3 && weight->rank != 4)
        return vt_fail(VT_STATUS_INVALID_ARGUMENT, "weights must be [Cout, Cin/groups, K] or [Cout, Cin/groups, KH, KW], got rank %d",
                       weight->rank);
    if (groups <= 0) return vt_fail(VT_STATUS_INVALID_ARGUMENT, "weights: groups must be >= 1, got %d", groups);
    for (int i = 0; i < weight->rank; ++i)
        if (weight->shape[i] <= 0 || weight->shape[i] > (1 << 24))
            return vt_fail(VT_STATUS_INVALID_ARGUMENT, "weights: dim %d is %lld", i, (long long)weight->shape[i]);
    int32_t cout = (int32_t)weight->shape[0], cin_g = (int32_t)weight->shape[1];
    int32_t kh = weight->rank == 4 ? (int32_t)weight->shape[2] : 1;
    int32_t kw = (int32_t)weight->shape[weight->rank - 1];
    vt_f32_view v;
    vt_tensor src = *weight;
    if (weight->layout == VT_LAYOUT_TILE) {
        /* a tiled weight is the matrix [Cout, Cin/groups * K...] */
        src.rank = 2;
        src.shape[0] = cout;
        src.shape[1] = (int64_t)cin_g * kh * kw;
    }
    VT_TRY(vt_view_f32(&src, &v));
    /* dense [cout][cin_g][taps] */
    const float* dense = v.t.data;
    float* tmp = NULL;
    if (!vt_is_dense(&v.t)) {
        vt_tensor d = v.t;
        size_t bytes = (size_t)vt_numel(&v.t) * sizeof(float);
        tmp = vt_malloc(bytes);
        if (!tmp) {
            vt_view_release(&v);
            return vt_oom(bytes);
        }
        d.data = tmp;
        vt_dense_strides(&d);
        vt_copy_view(&v.t, &d);
        dense = tmp;
    }
    struct vt_weights* w = malloc(sizeof *w);
    vt_status st = w ? vt_weights_init(w, dense, cout, cin_g, groups, kh, kw, math) : vt_oom(sizeof *w);
    free(tmp);
    vt_view_release(&v);
    if (st != VT_STATUS_OK) {
        free(w);
        return st;
    }
    *out = w;
    return VT_STATUS_OK;
}

void vt_weights_destroy(vt_weights* w) {
    if (!w) return;
    vt_weights_release(w);
    free(w);
}

vt_status vt_weights_get_info(const vt_weights* w, vt_weights_info* info) {
    if (!w || !info) return vt_fail(VT_STATUS_INVALID_ARGUMENT, "vt_weights_get_info: NULL argument");
    info->out_channels = w->cout;
    info->in_channels_per_group = w->cin_g;
    info->groups = w->groups;
    info->kernel_h = w->kh;
    info->kernel_w = w->kw;
    info->math = w->math;
    return VT_STATUS_OK;
}
