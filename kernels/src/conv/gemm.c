/* The implicit-GEMM driver behind conv1d, conv2d and matmul: splits output rows (and, when rows are few, output
   channel panels) into work items for the pool and calls the ISA's register-blocked tile on each. */
#include "vt_internal.h"

#include <math.h>
#include <stdlib.h>

typedef struct vt_gemm_ctx {
    const vt_gemm_problem* p;
    const void* panels;
    int32_t esize;
    int32_t nvp;
    int32_t panels_per_group;
    int32_t pg_size;
    int32_t pgs;
    int64_t mb;
    int64_t row_blocks;
    int32_t scratch_mode;
    float* scratch;
    int64_t scratch_ld;
    char* stage;            /* per-thread staged rows (stage_src mode) */
    int64_t stage_rows_max; /* rows each thread's buffer holds */
    int64_t row_elems;
} vt_gemm_ctx;

/* one staged row times s (s != 0, 1), rounded to the element format, and to bf16 in bf16 math */
static void vt_scale_staged_row(char* d, int64_t n, float s, vt_panel_format fmt, int32_t round_bf16) {
    if (fmt == VT_PANEL_BF16) {
        uint16_t* h = (uint16_t*)d;
        for (int64_t j = 0; j < n; ++j) h[j] = vt_f32_to_bf16_bits(vt_bf16_bits_to_f32(h[j]) * s);
    } else {
        float* f = (float*)d;
        for (int64_t j = 0; j < n; ++j) f[j] = round_bf16 ? vt_round_bf16(f[j] * s) : f[j] * s;
    }
}

/* the input mask over staged rows i0 .. i0 + count - 1 (padded coordinates) of batch b */
static void vt_mask_staged_rows(const vt_gemm_ctx* c, int64_t b, int64_t i0, int64_t count, char* dst) {
    const vt_gemm_problem* p = c->p;
    const int64_t L = p->stage_src->shape[1];
    const float* m = p->stage_mask + b * L;
    const size_t row_bytes = (size_t)(c->row_elems * c->esize);
    for (int64_t i = 0; i < count; ++i) {
        const int64_t l = i0 + i - p->stage_pad_left;
        if (l < 0 || l >= L || m[l] == 1.0f) continue;
        char* d = dst + i * (int64_t)row_bytes;
        if (m[l] == 0.0f)
            memset(d, 0, row_bytes);
        else
            vt_scale_staged_row(d, c->row_elems, m[l], p->kernel->format, p->w->math == VT_DTYPE_BF16);
    }
}

/* stages input rows i0 .. i0 + count - 1 (in padded coordinates) of batch b into dst */
static void vt_stage_rows(const vt_gemm_ctx* c, int64_t b, int64_t i0, int64_t count, char* dst) {
    const vt_gemm_problem* p = c->p;
    const struct vt_weights* w = p->w;
    const vt_tensor* x = p->stage_src;
    const vt_kernel_table* kt = vt_kernels();
    const int32_t es = c->esize, xs = vt_dtype_size(x->dtype);
    const float* mask = p->stage_mask ? p->stage_mask + b * x->shape[1] : NULL;
    if (x->strides[2] == 1 && x->strides[1] == c->row_elems && w->cin_pad == w->cin_g) {
        /* dense rows without channel padding: the in-range rows are one span, the rest zeros */
        int64_t lo = p->stage_pad_left - i0, hi = p->stage_pad_left + x->shape[1] - i0;
        lo = lo < 0 ? 0 : lo > count ? count : lo;
        hi = hi < lo ? lo : hi > count ? count : hi;
        memset(dst, 0, (size_t)(lo * c->row_elems * es));
        if (hi > lo) {
            const char* src = (const char*)x->data + (b * x->strides[0] + (i0 + lo - p->stage_pad_left) * x->strides[1]) * xs;
            kt->stage_row(src, x->dtype, 1, (hi - lo) * c->row_elems, p->stage_act, p->stage_slope,
                          w->math == VT_DTYPE_BF16, dst + lo * c->row_elems * es, p->kernel->format, 0);
        }
        memset(dst + hi * c->row_elems * es, 0, (size_t)((count - hi) * c->row_elems * es));
        if (mask) vt_mask_staged_rows(c, b, i0, count, dst);
        return;
    }
    for (int64_t i = 0; i < count; ++i) {
        const int64_t l = i0 + i - p->stage_pad_left;
        char* d = dst + i * c->row_elems * es;
        if (l < 0 || l >= x->shape[1] || (mask && mask[l] == 0.0f)) {
            memset(d, 0, (size_t)(c->row_elems * es));
            continue;
        }
        const char* src = (const char*)x->data + (b * x->strides[0] + l * x->strides[1]) * xs;
        for (int32_t g = 0; g < w->groups; ++g)
            kt->stage_row(src + (int64_t)g * w->cin_g * x->strides[2] * xs, x->dtype, x->strides[2], w->cin_g, p->stage_act,
                          p->stage_slope, w->math == VT_DTYPE_BF16, d + (int64_t)g * w->cin_pad * es, p->kernel->format,
                          w->cin_pad - w->cin_g);
        if (mask && mask[l] != 1.0f)
            vt_scale_staged_row(d, c->row_elems, mask[l], p->kernel->format, w->math == VT_DTYPE_BF16);
    }
}

float vt_activate(vt_activation act, float slope, float x) {
    switch (act) {
    case VT_ACTIVATION_RELU: return x > 0.0f ? x : 0.0f;
    case VT_ACTIVATION_LEAKY_RELU: return x < 0.0f ? slope * x : x;
    case VT_ACTIVATION_TANH: return tanhf(x);
    case VT_ACTIVATION_SIGMOID: return 1.0f / (1.0f + expf(-x));
    default: return x;
    }
}

/* tanh, sigmoid and the gate over an item's rows of fp32 scratch (vectorized per ISA), then residual and store */
static void vt_gemm_epilogue_rows(const vt_gemm_ctx* c, const float* s0, int64_t b, int64_t r0, int64_t r1) {
    enum { CHUNK = 512 };
    const vt_gemm_problem* p = c->p;
    const struct vt_weights* w = p->w;
    const vt_kernel_table* kt = vt_kernels();
    const vt_tensor* o = p->out;
    const vt_tensor* rs = p->residual;
    const int32_t gate = p->act == VT_ACTIVATION_GATED_TANH_SIGMOID;
    const int32_t cout = gate ? w->cout / 2 : w->cout;
    float v[CHUNK], res[CHUNK];
    for (int64_t r = r0; r < r1; ++r) {
        const float* s = s0 + (r - r0) * c->scratch_ld;
        char* orow = (char*)o->data + (b * o->strides[0] + r * o->strides[1]) * vt_dtype_size(o->dtype);
        const char* rrow =
            rs ? (const char*)rs->data + (b * rs->strides[0] + r * rs->strides[1]) * vt_dtype_size(rs->dtype) : NULL;
        /* channel spans contiguous in the scratch: the gate and one group are; groups are 16-padded apart */
        for (int32_t c0 = 0; c0 < cout;) {
            int32_t n = cout - c0 < CHUNK ? cout - c0 : CHUNK;
            const float* src;
            if (gate) {
                kt->gate_f32(s + c0, s + c0 + cout, v, n);
            } else {
                const int32_t g = c0 / w->cout_g, in_group = c0 % w->cout_g;
                if (n > w->cout_g - in_group) n = w->cout_g - in_group;
                src = s + (int64_t)g * w->nv_g * 16 + in_group;
                kt->act_f32(p->act, p->slope, src, v, n);
            }
            if (rrow) {
                if (rs->dtype == VT_DTYPE_F32)
                    memcpy(res, (const float*)rrow + c0, (size_t)n * 4);
                else
                    kt->bf16_to_f32((const uint16_t*)rrow + c0, res, n);
                for (int32_t i = 0; i < n; ++i) v[i] += res[i];
            }
            if (o->dtype == VT_DTYPE_F32)
                memcpy((float*)orow + c0, v, (size_t)n * 4);
            else
                kt->f32_to_bf16(v, (uint16_t*)orow + c0, n);
            c0 += n;
        }
    }
}

static void vt_gemm_item(void* ctx, int64_t item, int32_t thread) {
    const vt_gemm_ctx* c = ctx;
    const vt_gemm_problem* p = c->p;
    const struct vt_weights* w = p->w;
    const vt_gemm_kernel* k = p->kernel;
    const int32_t groups_per_item = c->scratch_mode ? w->groups : 1;
    int64_t it = item;
    const int32_t pgi = c->scratch_mode ? 0 : (int32_t)(it % c->pgs);
    if (!c->scratch_mode) it /= c->pgs;
    const int32_t g0 = c->scratch_mode ? 0 : (int32_t)(it % w->groups);
    if (!c->scratch_mode) it /= w->groups;
    const int64_t rb = it % c->row_blocks, b = it / c->row_blocks;
    const int64_t r0 = rb * c->mb, r1 = r0 + c->mb < p->rows ? r0 + c->mb : p->rows;
    const int64_t b_nv = (int64_t)w->taps * w->cin_pad * 16;
    float* scratch = c->scratch_mode ? c->scratch + (int64_t)thread * c->mb * c->scratch_ld : NULL;
    const vt_tensor* o = p->out;
    const vt_tensor* rs = p->residual;
    const int32_t oes = vt_dtype_size(o->dtype), res = rs ? vt_dtype_size(rs->dtype) : 0;
    /* stage_src mode: this item's rows (with the taps' halo) go to the thread's buffer first */
    const char* a_base = NULL;
    if (p->stage_src) {
        char* buf = c->stage + (int64_t)thread * c->stage_rows_max * c->row_elems * c->esize;
        const int64_t first = r0 * p->stage_row_step;
        const int64_t count = (r1 - 1 - r0) * p->stage_row_step + (int64_t)(w->taps - 1) * p->stage_tap_step + 1;
        vt_stage_rows(c, b, first, count, buf);
        a_base = buf;
    }

    for (int32_t g = g0; g < g0 + groups_per_item; ++g) {
        const int32_t pa = c->scratch_mode ? 0 : pgi * c->pg_size;
        int32_t pb = c->scratch_mode ? c->panels_per_group : pa + c->pg_size;
        if (pb > c->panels_per_group) pb = c->panels_per_group;
        for (int32_t pnl = pa; pnl < pb; ++pnl) {
            const int32_t nv0 = pnl * c->nvp;
            const int32_t nv = w->nv_g - nv0 < c->nvp ? w->nv_g - nv0 : c->nvp;
            const int32_t mr_full = k->mr_max[nv];
            int32_t n_valid = w->cout_g - nv0 * 16;
            if (n_valid > nv * 16) n_valid = nv * 16;
            vt_gemm_tile t;
            t.a_row = p->a_row;
            t.a_tap = p->a_tap;
            t.taps = w->taps;
            t.cin = w->cin_pad;
            t.b = (const char*)c->panels + ((int64_t)g * w->nv_g + nv0) * b_nv * c->esize;
            t.b_nv = b_nv;
            t.nv = nv;
            t.n_valid = n_valid;
            t.bias = p->bias ? p->bias + b * p->bias_batch + (int64_t)g * w->nv_g * 16 + nv0 * 16 : NULL;
            for (int64_t m0 = r0; m0 < r1; m0 += mr_full) {
                t.mr = (int32_t)(r1 - m0 < mr_full ? r1 - m0 : mr_full);
                t.a = a_base ? a_base + ((m0 - r0) * p->a_row + g * p->a_group) * c->esize
                             : (const char*)p->a + (b * p->a_batch + m0 * p->a_row + g * p->a_group) * c->esize;
                if (scratch) {
                    t.act = VT_ACTIVATION_NONE;
                    t.slope = 0.0f;
                    t.res = NULL;
                    t.res_dtype = VT_DTYPE_F32;
                    t.res_ld = 0;
                    t.out = scratch + (m0 - r0) * c->scratch_ld + (int64_t)g * w->nv_g * 16 + nv0 * 16;
                    t.out_dtype = VT_DTYPE_F32;
                    t.out_ld = c->scratch_ld;
                    t.n_valid = nv * 16;
                    t.plain = t.bias == NULL;
                } else {
                    t.plain = 0;
                    const int64_t ch = (int64_t)g * w->cout_g + nv0 * 16;
                    t.act = p->act;
                    t.slope = p->slope;
                    t.res = rs ? (const char*)rs->data + (b * rs->strides[0] + m0 * rs->strides[1] + ch) * res : NULL;
                    t.res_dtype = rs ? rs->dtype : VT_DTYPE_F32;
                    t.res_ld = rs ? rs->strides[1] : 0;
                    t.out = (char*)o->data + (b * o->strides[0] + m0 * o->strides[1] + ch) * oes;
                    t.out_dtype = o->dtype;
                    t.out_ld = o->strides[1];
                }
                k->tile(&t);
            }
        }
    }
    if (scratch) vt_gemm_epilogue_rows(c, scratch, b, r0, r1);
}

vt_status vt_gemm_run(const vt_gemm_problem* p) {
    const struct vt_weights* w = p->w;
    const vt_gemm_kernel* k = p->kernel;
    vt_gemm_ctx c;
    memset(&c, 0, sizeof c);
    c.p = p;
    VT_TRY(vt_weights_panels(w, k->format, &c.panels));
    c.esize = k->format == VT_PANEL_BF16 ? 2 : 4;
    c.nvp = w->nv_g < k->nv_max ? w->nv_g : k->nv_max;
    c.panels_per_group = (w->nv_g + c.nvp - 1) / c.nvp;
    c.scratch_mode = p->act == VT_ACTIVATION_TANH || p->act == VT_ACTIVATION_SIGMOID ||
                     p->act == VT_ACTIVATION_GATED_TANH_SIGMOID;
    const int64_t threads = vt_pool_threads();
    const int32_t mr = k->mr_max[c.nvp];
    int64_t mb = mr * ((96 + mr - 1) / mr);
    const int64_t g_items = c.scratch_mode ? 1 : w->groups;
    if (p->rows > 0 && p->batch * g_items * ((p->rows + mb - 1) / mb) < 4 * threads) {
        int64_t want = (4 * threads + p->batch * g_items - 1) / (p->batch * g_items);
        int64_t m = (p->rows + want - 1) / want;
        m = mr * ((m + mr - 1) / mr);
        if (m < mb) mb = m;
    }
    if (mb < 1) mb = 1;
    c.mb = mb;
    c.row_blocks = p->rows > 0 ? (p->rows + mb - 1) / mb : 0;
    c.pg_size = c.panels_per_group;
    c.pgs = 1;
    const int64_t base_items = p->batch * g_items * c.row_blocks;
    if (!c.scratch_mode && base_items < 3 * threads && c.panels_per_group > 1) {
        int64_t split = (3 * threads + base_items - 1) / base_items;
        if (split > c.panels_per_group) split = c.panels_per_group;
        c.pg_size = (int32_t)((c.panels_per_group + split - 1) / split);
        c.pgs = (c.panels_per_group + c.pg_size - 1) / c.pg_size;
    }
    if (c.scratch_mode) {
        c.scratch_ld = (int64_t)w->groups * w->nv_g * 16;
        size_t bytes = (size_t)(threads * c.mb * c.scratch_ld) * sizeof(float);
        c.scratch = vt_malloc(bytes);
        if (!c.scratch) return vt_oom(bytes);
    }
    if (p->stage_src) {
        c.row_elems = (int64_t)w->groups * w->cin_pad;
        c.stage_rows_max = (c.mb - 1) * p->stage_row_step + (int64_t)(w->taps - 1) * p->stage_tap_step + 1;
        size_t bytes = (size_t)(threads * c.stage_rows_max * c.row_elems * c.esize);
        c.stage = vt_malloc(bytes);
        if (!c.stage) {
            free(c.scratch);
            return vt_oom(bytes);
        }
    }
    vt_parallel_for_sized(base_items * c.pgs, vt_gemm_item, &c, (int32_t)threads);
    free(c.stage);
    free(c.scratch);
    return VT_STATUS_OK;
}

void vt_gemm_stage(const vt_gemm_problem* p, int64_t b, int64_t i0, int64_t count, void* dst) {
    vt_gemm_ctx c;
    memset(&c, 0, sizeof c);
    c.p = p;
    c.esize = p->kernel->format == VT_PANEL_BF16 ? 2 : 4;
    c.row_elems = (int64_t)p->w->groups * p->w->cin_pad;
    vt_stage_rows(&c, b, i0, count, dst);
}

void vt_gemm_epilogue(const vt_gemm_problem* p, const float* rows, int64_t ld, int64_t b, int64_t r0, int64_t r1) {
    vt_gemm_ctx c;
    memset(&c, 0, sizeof c);
    c.p = p;
    c.scratch_ld = ld;
    vt_gemm_epilogue_rows(&c, rows, b, r0, r1);
}
