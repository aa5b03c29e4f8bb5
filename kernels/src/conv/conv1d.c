/* conv1d, channels-last: each work item stages the input rows it needs (input activation, zero padding, bf16
   rounding in device math, the GEMM element format), then the implicit GEMM computes every output row from K shifted
   staged rows with bias, activation and residual fused into the tile's store. Depthwise convolutions take a direct
   path. vt_stage_input (the whole input at once) serves conv_transpose1d. */
#include "vt_internal.h"
#include "vt_winograd.h"

#include <stdlib.h>

typedef struct vt_stage_job {
    const vt_tensor* x; /* [N, L, Cin] row-major */
    void* dst;          /* [N][Lp][groups * cin_pad] */
    int64_t lp, pl, row_elems;
    int32_t groups, cin_g, cin_pad;
    vt_activation act;
    float slope;
    int32_t round_bf16;
    vt_panel_format fmt;
    int64_t chunk;
    int64_t rows_total; /* N * Lp */
} vt_stage_job;

static void vt_stage_task(void* ctx, int64_t i, int32_t thread) {
    (void)thread;
    const vt_stage_job* j = ctx;
    const vt_tensor* x = j->x;
    const int32_t es = j->fmt == VT_PANEL_BF16 ? 2 : 4, xs = vt_dtype_size(x->dtype);
    const int64_t r1 = (i + 1) * j->chunk < j->rows_total ? (i + 1) * j->chunk : j->rows_total;
    for (int64_t r = i * j->chunk; r < r1; ++r) {
        const int64_t n = r / j->lp, l = r % j->lp - j->pl;
        char* d = (char*)j->dst + r * j->row_elems * es;
        if (l < 0 || l >= x->shape[1]) {
            memset(d, 0, (size_t)(j->row_elems * es));
            continue;
        }
        const char* s = (const char*)x->data + (n * x->strides[0] + l * x->strides[1]) * xs;
        for (int32_t g = 0; g < j->groups; ++g)
            vt_kernels()->stage_row(s + (int64_t)g * j->cin_g * x->strides[2] * xs, x->dtype, x->strides[2], j->cin_g,
                                    j->act, j->slope, j->round_bf16, d + (int64_t)g * j->cin_pad * es, j->fmt,
                                    j->cin_pad - j->cin_g);
    }
}

vt_status vt_stage_input(const vt_tensor* x, int32_t groups, int32_t cin_g, int32_t cin_pad, int64_t pad_l,
                         int64_t pad_r, vt_activation act, float slope, int32_t round_bf16, vt_panel_format fmt,
                         void** staged) {
    const int32_t es = fmt == VT_PANEL_BF16 ? 2 : 4;
    const int64_t N = x->shape[0], lp = pad_l + x->shape[1] + pad_r, row_elems = (int64_t)groups * cin_pad;
    const size_t bytes = (size_t)(N * lp * row_elems) * (size_t)es;
    *staged = vt_malloc(bytes);
    if (!*staged) return vt_oom(bytes);
    vt_stage_job j = {x, *staged, lp, pad_l, row_elems, groups, cin_g, cin_pad, act, slope, round_bf16, fmt, 0, N * lp};
    j.chunk = 1 + (1 << 15) / (row_elems + 1);
    vt_parallel_for((j.rows_total + j.chunk - 1) / j.chunk, vt_stage_task, &j);
    return VT_STATUS_OK;
}

/* a dense f32 copy of the bias, padded per group to whole 16-channel panels */
vt_status vt_padded_bias(const vt_tensor* bias, const struct vt_weights* w, float** out) {
    *out = NULL;
    if (!bias) return VT_STATUS_OK;
    VT_TRY(vt_check_tensor(bias, "bias"));
    if (vt_numel(bias) != w->cout)
        return vt_fail(VT_STATUS_INVALID_ARGUMENT, "bias has %lld values, the weights %d output channels",
                       (long long)vt_numel(bias), w->cout);
    vt_f32_view v;
    vt_tensor flat = *bias;
    if (bias->layout == VT_LAYOUT_ROW_MAJOR && bias->rank != 1) {
        /* any [.., Cout] with unit dims: read along the last dim */
        flat.rank = 1;
        flat.shape[0] = w->cout;
        flat.strides[0] = bias->rank ? bias->strides[bias->rank - 1] : 1;
    }
    VT_TRY(vt_view_f32(&flat, &v));
    size_t bytes = (size_t)w->groups * w->nv_g * 16 * sizeof(float);
    float* b = vt_calloc(bytes);
    if (!b) {
        vt_view_release(&v);
        return vt_oom(bytes);
    }
    const float* src = v.t.data;
    const int64_t st = v.t.layout == VT_LAYOUT_ROW_MAJOR && v.t.rank >= 1 ? v.t.strides[v.t.rank - 1] : 1;
    for (int32_t c = 0; c < w->cout; ++c) b[(int64_t)(c / w->cout_g) * w->nv_g * 16 + c % w->cout_g] = src[c * st];
    vt_view_release(&v);
    *out = b;
    return VT_STATUS_OK;
}

/* a bias of `items` x Cout values (one per batch item: a batch's per-item conditioning) padded item by item as
   vt_padded_bias pads one; *stride is the floats between items' padded biases, 0 for a bias of Cout values */
static vt_status vt_padded_item_bias(const vt_tensor* bias, const struct vt_weights* w, int64_t items, float** out,
                                     int64_t* stride) {
    *out = NULL;
    *stride = 0;
    if (!bias || items <= 1) return vt_padded_bias(bias, w, out);
    VT_TRY(vt_check_tensor(bias, "bias"));
    if (vt_numel(bias) == w->cout) return vt_padded_bias(bias, w, out);
    if (vt_numel(bias) != items * w->cout)
        return vt_fail(VT_STATUS_INVALID_ARGUMENT, "bias has %lld values, the weights %d output channels for %lld batch items",
                       (long long)vt_numel(bias), w->cout, (long long)items);
    if (bias->layout != VT_LAYOUT_ROW_MAJOR || !vt_is_dense(bias))
        return vt_fail(VT_STATUS_UNSUPPORTED, "a per-item bias must be dense row-major");
    vt_f32_view v;
    vt_tensor flat = *bias;
    flat.rank = 1;
    flat.shape[0] = items * w->cout;
    flat.strides[0] = 1;
    VT_TRY(vt_view_f32(&flat, &v));
    const int64_t per_item = (int64_t)w->groups * w->nv_g * 16;
    float* b = vt_calloc((size_t)(items * per_item) * sizeof(float));
    if (!b) {
        vt_view_release(&v);
        return vt_oom((size_t)(items * per_item) * sizeof(float));
    }
    const float* src = v.t.data;
    for (int64_t n = 0; n < items; ++n)
        for (int32_t c = 0; c < w->cout; ++c)
            b[n * per_item + (int64_t)(c / w->cout_g) * w->nv_g * 16 + c % w->cout_g] = src[n * w->cout + c];
    vt_view_release(&v);
    *out = b;
    *stride = per_item;
    return VT_STATUS_OK;
}

/* the GEMM needs row-major f32/bf16 rows with unit channel stride; anything else goes through a dense copy */
int vt_gemm_ready(const vt_tensor* t) {
    return t->layout == VT_LAYOUT_ROW_MAJOR && (t->dtype == VT_DTYPE_F32 || t->dtype == VT_DTYPE_BF16) &&
           t->strides[t->rank - 1] == 1;
}

vt_status vt_row_mask(const vt_tensor* mask, int64_t rows, const char* what, float** out) {
    *out = NULL;
    if (!mask) return VT_STATUS_OK;
    VT_TRY(vt_check_tensor(mask, what));
    if (vt_numel(mask) != rows)
        return vt_fail(VT_STATUS_INVALID_ARGUMENT, "%s has %lld values, one per row of %lld rows wanted", what,
                       (long long)vt_numel(mask), (long long)rows);
    if (mask->dtype == VT_DTYPE_U32) return vt_fail(VT_STATUS_UNSUPPORTED, "%s: u32", what);
    float* m = vt_malloc((size_t)(rows > 0 ? rows : 1) * sizeof(float));
    if (!m) return vt_oom((size_t)rows * sizeof(float));
    *out = m;
    /* the usual case, a dense row-major [.., L, 1]: converted in one pass (it is read once per conv) */
    if (mask->layout == VT_LAYOUT_ROW_MAJOR && vt_is_dense(mask)) {
        if (mask->dtype == VT_DTYPE_F32)
            memcpy(m, mask->data, (size_t)rows * sizeof(float));
        else if (mask->dtype == VT_DTYPE_BF16)
            vt_kernels()->bf16_to_f32(mask->data, m, rows);
        if (mask->dtype == VT_DTYPE_F32 || mask->dtype == VT_DTYPE_BF16) return VT_STATUS_OK;
    }
    vt_f32_view v;
    vt_status st = vt_view_f32(mask, &v);
    if (st != VT_STATUS_OK) {
        free(m);
        *out = NULL;
        return st;
    }
    vt_tensor d = v.t;
    d.data = m;
    vt_dense_strides(&d);
    vt_copy_view(&v.t, &d);
    vt_view_release(&v);
    return VT_STATUS_OK;
}

void vt_mask_rows(const vt_tensor* y, const float* mask) {
    const int64_t N = y->shape[0], L = y->shape[1], C = y->shape[2];
    const int32_t es = vt_dtype_size(y->dtype);
    for (int64_t n = 0; n < N; ++n)
        for (int64_t l = 0; l < L; ++l) {
            const float s = mask[n * L + l];
            if (s == 1.0f) continue;
            char* row = (char*)y->data + (n * y->strides[0] + l * y->strides[1]) * es;
            if (s == 0.0f) {
                memset(row, 0, (size_t)(C * es));
                continue;
            }
            for (int64_t c = 0; c < C; ++c) vt_store_elem(row, y->dtype, c, vt_load_elem(row, y->dtype, c) * s);
        }
}

typedef struct vt_depthwise_job {
    const vt_tensor* x; /* f32 view [N, L, C] */
    const struct vt_weights* w;
    const float* panels;
    const float* bias;
    int64_t bias_batch; /* floats between items' biases, 0 for one bias */
    const vt_conv1d_params* p;
    const vt_tensor* res; /* f32 view or NULL */
    const vt_tensor* y;   /* row-major */
    int64_t lout;
    const float* in_mask; /* [N][L] or NULL */
} vt_depthwise_job;

/* one output row of a grouped convolution with one input channel per group (depthwise, any multiplier) */
static void vt_depthwise_task(void* ctx, int64_t r, int32_t thread) {
    (void)thread;
    const vt_depthwise_job* j = ctx;
    const struct vt_weights* w = j->w;
    const vt_tensor* x = j->x;
    const int64_t n = r / j->lout, lo = r % j->lout, L = x->shape[1];
    const int64_t per_group = (int64_t)w->nv_g * w->taps * w->cin_pad * 16;
    const int32_t bf16 = w->math == VT_DTYPE_BF16;
    char* yrow = (char*)j->y->data + (n * j->y->strides[0] + lo * j->y->strides[1]) * vt_dtype_size(j->y->dtype);
    for (int32_t co = 0; co < w->cout; ++co) {
        const int32_t g = co / w->cout_g, nn = co % w->cout_g;
        const float* wp = j->panels + g * per_group + (int64_t)(nn / 16) * w->taps * w->cin_pad * 16 + nn % 16;
        float acc = 0.0f;
        for (int32_t k = 0; k < w->taps; ++k) {
            const int64_t li = lo * j->p->stride + (int64_t)k * j->p->dilation - j->p->pad_left;
            if (li < 0 || li >= L) continue;
            float v = ((const float*)x->data)[n * x->strides[0] + li * x->strides[1] + g * x->strides[2]];
            v = vt_activate(j->p->input_activation, j->p->input_slope, v);
            if (bf16) v = vt_round_bf16(v);
            if (j->in_mask) {
                const float s = j->in_mask[n * L + li];
                if (s == 0.0f) continue;
                if (s != 1.0f) v = bf16 ? vt_round_bf16(v * s) : v * s;
            }
            acc += v * wp[(int64_t)k * w->cin_pad * 16];
        }
        acc += j->bias ? j->bias[n * j->bias_batch + (int64_t)g * w->nv_g * 16 + nn] : 0.0f;
        acc = vt_activate(j->p->activation, j->p->slope, acc);
        if (j->res)
            acc += ((const float*)j->res->data)[n * j->res->strides[0] + lo * j->res->strides[1] + co * j->res->strides[2]];
        vt_store_elem(yrow, j->y->dtype, co * j->y->strides[2], acc);
    }
}

static vt_status vt_conv1d_depthwise(const vt_tensor* input, const struct vt_weights* w, const float* bias, int64_t bias_batch,
                                     const vt_tensor* residual, const vt_conv1d_params* p, const vt_tensor* out,
                                     int64_t lout, const float* in_mask) {
    vt_f32_view xv, rv = {0};
    VT_TRY(vt_view_f32(input, &xv));
    vt_status st = residual ? vt_view_f32(residual, &rv) : VT_STATUS_OK;
    const void* panels = NULL;
    if (st == VT_STATUS_OK) st = vt_weights_panels(w, VT_PANEL_F32, &panels);
    if (st == VT_STATUS_OK) {
        vt_depthwise_job j = {&xv.t, w, panels, bias, bias_batch, p, residual ? &rv.t : NULL, out, lout, in_mask};
        vt_parallel_for(input->shape[0] * lout, vt_depthwise_task, &j);
    }
    vt_view_release(&rv);
    vt_view_release(&xv);
    return st;
}

static vt_status vt_conv1d_checked(const vt_tensor* input, const vt_weights* w, const vt_tensor* bias,
                                   const vt_tensor* residual, const vt_conv1d_params* p, const vt_tensor* output,
                                   int64_t lout) {
    float *b = NULL, *in_mask = NULL, *out_mask = NULL;
    int64_t bias_batch = 0;
    VT_TRY(vt_padded_item_bias(bias, w, input->shape[0], &b, &bias_batch));
    vt_status st = vt_row_mask(p->input_mask, input->shape[0] * input->shape[1], "conv1d input mask", &in_mask);
    if (st == VT_STATUS_OK)
        st = vt_row_mask(p->output_mask, output->shape[0] * output->shape[1], "conv1d output mask", &out_mask);
    /* outputs/residuals the tiles cannot address directly go through dense f32 copies */
    vt_output o = {0};
    if (st == VT_STATUS_OK) st = vt_output_begin(output, &o);
    void* dense_out = NULL;
    vt_tensor out_t = o.t;
    if (st == VT_STATUS_OK && !vt_gemm_ready(&out_t)) {
        size_t bytes = (size_t)vt_numel(&out_t) * 4;
        dense_out = vt_malloc(bytes);
        if (!dense_out) st = vt_oom(bytes);
        out_t.data = dense_out;
        out_t.dtype = VT_DTYPE_F32;
        vt_dense_strides(&out_t);
    }
    vt_f32_view rv = {0};
    const vt_tensor* res_t = NULL;
    if (st == VT_STATUS_OK && residual) {
        if (vt_gemm_ready(residual)) {
            res_t = residual;
        } else if ((st = vt_view_f32(residual, &rv)) == VT_STATUS_OK) {
            if (!vt_is_dense(&rv.t)) { /* strided f32: make it dense */
                vt_tensor d = rv.t;
                void* mem = vt_malloc((size_t)vt_numel(&d) * 4);
                if (!mem) {
                    st = vt_oom((size_t)vt_numel(&d) * 4);
                } else {
                    d.data = mem;
                    vt_dense_strides(&d);
                    vt_copy_view(&rv.t, &d);
                    vt_view_release(&rv);
                    rv.t = d;
                    rv.owned = mem;
                }
            }
            res_t = &rv.t;
        }
    }
    if (st == VT_STATUS_OK) {
        if (w->groups > 1 && w->cin_g == 1) {
            st = vt_conv1d_depthwise(input, w, b, bias_batch, res_t, p, &out_t, lout, in_mask);
        } else {
            const vt_kernel_table* kt = vt_kernels();
            const int32_t wino = p->algorithm == VT_CONV1D_ALGORITHM_FASTEST ? vt_winograd_choose(w, p)
                                 : p->algorithm == VT_CONV1D_ALGORITHM_WINOGRAD && vt_winograd_applies(w, p, p->winograd_m)
                                     ? p->winograd_m
                                     : 0;
            /* Winograd's transformed values are fp32 whatever the math: the f32 tile */
            const vt_gemm_kernel* k = w->math == VT_DTYPE_BF16 && !wino ? &kt->gemm_bf16 : &kt->gemm_f32;
            vt_f32_view xv = {0};
            const vt_tensor* x = input;
            if (input->layout != VT_LAYOUT_ROW_MAJOR) {
                st = vt_view_f32(input, &xv);
                x = &xv.t;
            }
            const int64_t N = x->shape[0];
            const int64_t row_elems = (int64_t)w->groups * w->cin_pad;
            const vt_dtype want = k->format == VT_PANEL_BF16 ? VT_DTYPE_BF16 : VT_DTYPE_F32;
            const int zero_copy = st == VT_STATUS_OK && !wino && x->dtype == want && x->strides[2] == 1 &&
                                  x->strides[1] == row_elems && p->pad_left == 0 && p->pad_right == 0 &&
                                  p->input_activation == VT_ACTIVATION_NONE && !in_mask && w->cin_pad == w->cin_g &&
                                  !(w->math == VT_DTYPE_BF16 && want == VT_DTYPE_F32);
            if (st == VT_STATUS_OK) {
                vt_gemm_problem gp = {
                    .w = w,
                    .kernel = k,
                    .batch = (int32_t)N,
                    .a = x->data,
                    .a_batch = x->strides[0],
                    .a_row = (int64_t)p->stride * row_elems,
                    .a_tap = (int64_t)p->dilation * row_elems,
                    .a_group = w->cin_pad,
                    .rows = lout,
                    .bias = b,
                    .bias_batch = bias_batch,
                    .act = p->activation,
                    .slope = p->slope,
                    .residual = res_t,
                    .out = &out_t,
                    /* unless the input is usable as it is, each work item stages its own rows */
                    .stage_src = zero_copy ? NULL : x,
                    .stage_row_step = p->stride,
                    .stage_tap_step = p->dilation,
                    .stage_pad_left = p->pad_left,
                    .stage_act = p->input_activation,
                    .stage_slope = p->input_slope,
                    .stage_mask = in_mask,
                };
                st = wino ? vt_winograd_run(&gp, wino) : vt_gemm_run(&gp);
            }
            vt_view_release(&xv);
        }
    }
    if (st == VT_STATUS_OK && out_mask) vt_mask_rows(&out_t, out_mask);
    if (st == VT_STATUS_OK && dense_out) vt_copy_view(&out_t, &o.t);
    free(dense_out);
    vt_view_release(&rv);
    if (st == VT_STATUS_OK)
        st = vt_output_commit(&o);
    else
        free(o.owned);
    free(b);
    free(in_mask);
    free(out_mask);
    return st;
}

static vt_status vt_conv_act_ok(vt_activation a, const char* what) {
    if ((unsigned)a > VT_ACTIVATION_GATED_TANH_SIGMOID)
        return vt_fail(VT_STATUS_INVALID_ARGUMENT, "%s: unknown activation %d", what, (int)a);
    return VT_STATUS_OK;
}

vt_status vt_conv1d(const vt_tensor* input, const vt_weights* weights, const vt_tensor* bias,
                    const vt_tensor* residual, const vt_conv1d_params* params, const vt_tensor* output) {
    vt_clear_error();
    VT_TRY(vt_require_init());
    if (!weights || !params) return vt_fail(VT_STATUS_INVALID_ARGUMENT, "conv1d: weights and params are required");
    VT_TRY(vt_check_tensor(input, "conv1d input"));
    VT_TRY(vt_check_tensor(output, "conv1d output"));
    if (residual) VT_TRY(vt_check_tensor(residual, "conv1d residual"));
    const struct vt_weights* w = weights;
    const vt_conv1d_params* p = params;
    char a[128], b[128];
    vt_shape_string(input, a, sizeof a);
    if (input->rank != 3) return vt_fail(VT_STATUS_INVALID_ARGUMENT, "conv1d: input must be [N, L, Cin], got %s", a);
    if (w->kh != 1 || w->transposed)
        return vt_fail(VT_STATUS_INVALID_ARGUMENT, "conv1d: the weights were prepared for %s",
                       w->transposed ? "conv_transpose1d" : "conv2d");
    if (input->shape[2] != (int64_t)w->cin_g * w->groups)
        return vt_fail(VT_STATUS_INVALID_ARGUMENT, "conv1d: input %s has %lld channels, the weights expect %d x %d groups", a,
                       (long long)input->shape[2], w->cin_g, w->groups);
    if (p->stride < 1 || p->dilation < 1 || p->pad_left < 0 || p->pad_right < 0)
        return vt_fail(VT_STATUS_INVALID_ARGUMENT, "conv1d: stride %d and dilation %d must be >= 1, padding %d/%d >= 0",
                       p->stride, p->dilation, p->pad_left, p->pad_right);
    VT_TRY(vt_conv_act_ok(p->activation, "conv1d"));
    VT_TRY(vt_conv_act_ok(p->input_activation, "conv1d input"));
    if (p->input_activation == VT_ACTIVATION_GATED_TANH_SIGMOID)
        return vt_fail(VT_STATUS_INVALID_ARGUMENT, "conv1d: the gate is an output activation");
    const int32_t gate = p->activation == VT_ACTIVATION_GATED_TANH_SIGMOID;
    if (gate && (w->groups != 1 || w->cout % 2 != 0))
        return vt_fail(VT_STATUS_INVALID_ARGUMENT, "conv1d: the gated activation needs one group and an even channel count (%d, %d groups)",
                       w->cout, w->groups);
    const int64_t span = (int64_t)p->dilation * (w->kw - 1) + 1;
    const int64_t padded = input->shape[1] + p->pad_left + p->pad_right;
    if (padded < span)
        return vt_fail(VT_STATUS_INVALID_ARGUMENT, "conv1d: padded length %lld is shorter than the receptive field %lld",
                       (long long)padded, (long long)span);
    const int64_t lout = (padded - span) / p->stride + 1;
    const int64_t cout = gate ? w->cout / 2 : w->cout;
    vt_shape_string(output, b, sizeof b);
    if (output->rank != 3 || output->shape[0] != input->shape[0] || output->shape[1] != lout || output->shape[2] != cout)
        return vt_fail(VT_STATUS_INVALID_ARGUMENT, "conv1d: output must be [%lld, %lld, %lld], got %s",
                       (long long)input->shape[0], (long long)lout, (long long)cout, b);
    if (output->dtype == VT_DTYPE_U32) return vt_fail(VT_STATUS_UNSUPPORTED, "conv1d: u32 output");
    if ((unsigned)p->algorithm > VT_CONV1D_ALGORITHM_WINOGRAD)
        return vt_fail(VT_STATUS_INVALID_ARGUMENT, "conv1d: unknown algorithm %d", (int)p->algorithm);
    if (p->algorithm == VT_CONV1D_ALGORITHM_WINOGRAD && vt_winograd_error_factor(p->winograd_m, w->kw) == 0.0)
        return vt_fail(VT_STATUS_INVALID_ARGUMENT, "conv1d: Winograd F(%d, %d) is not one vt_conv1d has (m 2, 4, 6 for K 3; 2, 4 for K 5, 7 and 11)",
                       p->winograd_m, w->kw);
    if (residual && !vt_same_shape(residual, output))
        return vt_fail(VT_STATUS_INVALID_ARGUMENT, "conv1d: the residual must have the output's shape %s", b);
    if (vt_numel(output) == 0) return VT_STATUS_OK;
    return vt_conv1d_checked(input, w, bias, residual, p, output, lout);
}

int32_t vt_conv1d_winograd_tile(const vt_weights* weights, const vt_conv1d_params* params) {
    if (!weights || !params) return 0;
    return vt_winograd_choose(weights, params);
}
