/* conv_transpose1d, channels-last, polyphase: output rows o = r + stride * j of phase r receive only the taps k with
   (r + padding - k * dilation) divisible by stride, at input rows j + (r + padding - k * dilation) / stride. Each phase
   is an ordinary implicit GEMM over the staged input (its taps evenly spaced), writing every stride-th output row, so
   no product with an inserted zero is ever computed. */
#include "vt_internal.h"

#include <stdlib.h>

static int32_t vt_gcd(int32_t a, int32_t b) {
    while (b) {
        int32_t t = a % b;
        a = b;
        b = t;
    }
    return a;
}

static vt_status vt_geometry_ok(const vt_conv_transpose1d_params* g, const char* what) {
    if (!g) return vt_fail(VT_STATUS_INVALID_ARGUMENT, "%s: params are required", what);
    if (g->stride < 1 || g->dilation < 1 || g->padding < 0 || g->output_padding < 0 || g->stride > 4096)
        return vt_fail(VT_STATUS_INVALID_ARGUMENT, "%s: stride %d and dilation %d must be >= 1, padding %d and output padding %d >= 0",
                       what, g->stride, g->dilation, g->padding, g->output_padding);
    return VT_STATUS_OK;
}

vt_status vt_conv_transpose_weights_create(const vt_tensor* weight, int32_t groups, const vt_conv_transpose1d_params* geo,
                                           vt_dtype math, vt_weights** out) {
    vt_clear_error();
    VT_TRY(vt_require_init());
    if (!out) return vt_fail(VT_STATUS_INVALID_ARGUMENT, "conv_transpose weights: out is NULL");
    *out = NULL;
    VT_TRY(vt_check_tensor(weight, "conv_transpose weights"));
    VT_TRY(vt_geometry_ok(geo, "conv_transpose weights"));
    if (weight->rank != 3)
        return vt_fail(VT_STATUS_INVALID_ARGUMENT, "conv_transpose weights must be [Cin, Cout/groups, K], got rank %d", weight->rank);
    if (groups < 1 || weight->shape[0] % groups != 0)
        return vt_fail(VT_STATUS_INVALID_ARGUMENT, "conv_transpose weights: %lld input channels do not split into %d groups",
                       (long long)weight->shape[0], groups);
    const int32_t cin = (int32_t)weight->shape[0], cout_g = (int32_t)weight->shape[1], K = (int32_t)weight->shape[2];
    const int32_t cin_g = cin / groups, cout = cout_g * groups, s = geo->stride, d = geo->dilation, p = geo->padding;
    if (cin <= 0 || cout_g <= 0 || K <= 0) return vt_fail(VT_STATUS_INVALID_ARGUMENT, "conv_transpose weights: empty weight");
    vt_tensor src = *weight;
    if (weight->layout == VT_LAYOUT_TILE) { /* the matrix [Cin, Cout/groups * K] */
        src.rank = 2;
        src.shape[1] = (int64_t)cout_g * K;
    }
    vt_f32_view v;
    VT_TRY(vt_view_f32(&src, &v));
    float* dense = vt_malloc((size_t)cin * cout_g * K * 4);
    struct vt_weights* w = calloc(1, sizeof *w);
    float* phase = vt_malloc((size_t)cout * cin_g * K * 4);
    vt_status st = dense && w && phase ? VT_STATUS_OK : vt_oom((size_t)cin * cout_g * K * 4);
    if (st == VT_STATUS_OK) {
        vt_tensor d2 = v.t;
        d2.data = dense;
        vt_dense_strides(&d2);
        vt_copy_view(&v.t, &d2);
        w->transposed = 1;
        w->stride = s;
        w->dilation = d;
        w->padding = p;
        w->cin_total = cin;
        w->cout = cout;
        w->cin_g = cin_g;
        w->cout_g = cout_g;
        w->groups = groups;
        w->kh = 1;
        w->kw = K;
        w->taps = K;
        w->math = math;
        w->tap_step = d / vt_gcd(d, s);
        w->nv_g = (cout_g + 15) / 16;
        w->cin_pad = (cin_g + 1) & ~1;
        w->phases = calloc((size_t)s, sizeof *w->phases);
        w->phase_first_offset = calloc((size_t)s, sizeof *w->phase_first_offset);
        if (!w->phases || !w->phase_first_offset) st = vt_oom((size_t)s * sizeof *w->phases);
    }
    const int32_t kstep = s / vt_gcd(d, s);
    for (int32_t r = 0; st == VT_STATUS_OK && r < s; ++r) {
        /* the largest valid k first: its input offset is the smallest, and later taps step by tap_step rows */
        int32_t k0 = -1;
        for (int32_t k = K - 1; k >= 0; --k)
            if ((((r + p - k * d) % s) + s) % s == 0) {
                k0 = k;
                break;
            }
        const int32_t taps = k0 < 0 ? 1 : k0 / kstep + 1;
        for (int32_t g = 0; g < groups; ++g)
            for (int32_t co = 0; co < cout_g; ++co)
                for (int32_t ci = 0; ci < cin_g; ++ci)
                    for (int32_t t = 0; t < taps; ++t) {
                        const int32_t k = k0 - t * kstep;
                        phase[(((int64_t)g * cout_g + co) * cin_g + ci) * taps + t] =
                            k0 < 0 ? 0.0f : dense[(((int64_t)g * cin_g + ci) * cout_g + co) * K + k];
                    }
        w->phase_first_offset[r] = k0 < 0 ? 0 : (r + p - k0 * d) / s;
        st = vt_weights_init(&w->phases[r], phase, cout, cin_g, groups, 1, taps, math);
    }
    free(phase);
    free(dense);
    vt_view_release(&v);
    if (st != VT_STATUS_OK) {
        if (w) vt_weights_destroy(w);
        return st;
    }
    *out = w;
    return VT_STATUS_OK;
}

vt_status vt_conv_transpose1d(const vt_tensor* input, const vt_weights* weights, const vt_tensor* bias,
                              const vt_tensor* residual, const vt_conv_transpose1d_params* p, const vt_tensor* output) {
    vt_clear_error();
    VT_TRY(vt_require_init());
    const struct vt_weights* w = weights;
    if (!w || !w->transposed)
        return vt_fail(VT_STATUS_INVALID_ARGUMENT, "conv_transpose1d: weights from vt_conv_transpose_weights_create are required");
    VT_TRY(vt_geometry_ok(p, "conv_transpose1d"));
    if (p->stride != w->stride || p->dilation != w->dilation || p->padding != w->padding)
        return vt_fail(VT_STATUS_INVALID_ARGUMENT, "conv_transpose1d: the weights were split for stride %d dilation %d padding %d, not %d/%d/%d",
                       w->stride, w->dilation, w->padding, p->stride, p->dilation, p->padding);
    if ((unsigned)p->activation > VT_ACTIVATION_SIGMOID)
        return vt_fail(VT_STATUS_INVALID_ARGUMENT, "conv_transpose1d: activation %d is not supported", (int)p->activation);
    VT_TRY(vt_check_tensor(input, "conv_transpose1d input"));
    VT_TRY(vt_check_tensor(output, "conv_transpose1d output"));
    if (residual) VT_TRY(vt_check_tensor(residual, "conv_transpose1d residual"));
    if (input->rank != 3 || input->shape[2] != w->cin_total)
        return vt_fail(VT_STATUS_INVALID_ARGUMENT, "conv_transpose1d: input must be [N, L, %d]", w->cin_total);
    const int64_t N = input->shape[0], L = input->shape[1], s = w->stride;
    const int64_t lout = (L - 1) * s - 2 * (int64_t)w->padding + (int64_t)w->dilation * (w->kw - 1) + p->output_padding + 1;
    if (L < 1 || lout < 1) return vt_fail(VT_STATUS_INVALID_ARGUMENT, "conv_transpose1d: output length %lld", (long long)lout);
    if (output->rank != 3 || output->shape[0] != N || output->shape[1] != lout || output->shape[2] != w->cout)
        return vt_fail(VT_STATUS_INVALID_ARGUMENT, "conv_transpose1d: output must be [%lld, %lld, %d]", (long long)N,
                       (long long)lout, w->cout);
    if (output->dtype == VT_DTYPE_U32) return vt_fail(VT_STATUS_UNSUPPORTED, "conv_transpose1d: u32 output");
    if (residual && !vt_same_shape(residual, output))
        return vt_fail(VT_STATUS_INVALID_ARGUMENT, "conv_transpose1d: the residual must have the output's shape");
    if (vt_numel(output) == 0) return VT_STATUS_OK;

    const vt_kernel_table* kt = vt_kernels();
    const vt_gemm_kernel* k = w->math == VT_DTYPE_BF16 ? &kt->gemm_bf16 : &kt->gemm_f32;
    const int32_t cin_pad = w->phases[0].cin_pad;
    const int64_t row_elems = (int64_t)w->groups * cin_pad;
    /* zero rows the phases read outside the input */
    int64_t pad_l = 0, pad_r = 0;
    for (int64_t r = 0; r < s && r < lout; ++r) {
        const int64_t rows = (lout - r + s - 1) / s, first = w->phase_first_offset[r];
        const int64_t last = rows - 1 + first + (int64_t)(w->phases[r].taps - 1) * w->tap_step;
        if (-first > pad_l) pad_l = -first;
        if (last - (L - 1) > pad_r) pad_r = last - (L - 1);
    }
    float* b = NULL;
    vt_f32_view xv = {0}, rv = {0};
    void* staged = NULL;
    void* dense_out = NULL;
    vt_output o;
    o.owned = NULL;
    vt_status st = vt_padded_bias(bias, w, &b);
    const vt_tensor* x = input;
    if (st == VT_STATUS_OK && input->layout != VT_LAYOUT_ROW_MAJOR) {
        st = vt_view_f32(input, &xv);
        x = &xv.t;
    }
    if (st == VT_STATUS_OK)
        st = vt_stage_input(x, w->groups, w->cin_g, cin_pad, pad_l, pad_r, VT_ACTIVATION_NONE, 0.0f,
                            w->math == VT_DTYPE_BF16, k->format, &staged);
    if (st == VT_STATUS_OK) st = vt_output_begin(output, &o);
    vt_tensor out_t = o.t;
    if (st == VT_STATUS_OK && !vt_gemm_ready(&out_t)) {
        dense_out = vt_malloc((size_t)vt_numel(&out_t) * 4);
        if (!dense_out) st = vt_oom((size_t)vt_numel(&out_t) * 4);
        out_t.data = dense_out;
        out_t.dtype = VT_DTYPE_F32;
        vt_dense_strides(&out_t);
    }
    vt_tensor res_t = {0};
    if (st == VT_STATUS_OK && residual) {
        if (vt_gemm_ready(residual)) {
            res_t = *residual;
        } else if ((st = vt_view_f32(residual, &rv)) == VT_STATUS_OK) {
            res_t = rv.t;
            if (!vt_is_dense(&rv.t)) {
                void* mem = vt_malloc((size_t)vt_numel(&rv.t) * 4);
                if (!mem) {
                    st = vt_oom((size_t)vt_numel(&rv.t) * 4);
                } else {
                    res_t.data = mem;
                    vt_dense_strides(&res_t);
                    vt_copy_view(&rv.t, &res_t);
                    vt_view_release(&rv);
                    rv.owned = mem;
                }
            }
        }
    }
    const int32_t es = k->format == VT_PANEL_BF16 ? 2 : 4;
    const int64_t lp = pad_l + L + pad_r;
    for (int64_t r = 0; st == VT_STATUS_OK && r < s && r < lout; ++r) {
        /* phase r writes output rows r, r + s, ...: a view with s times the row stride */
        vt_tensor ov = out_t, resv = res_t;
        ov.shape[1] = (lout - r + s - 1) / s;
        ov.strides[1] = out_t.strides[1] * s;
        ov.data = (char*)out_t.data + r * out_t.strides[1] * vt_dtype_size(out_t.dtype);
        if (residual) {
            resv.shape[1] = ov.shape[1];
            resv.strides[1] = res_t.strides[1] * s;
            resv.data = (char*)res_t.data + r * res_t.strides[1] * vt_dtype_size(res_t.dtype);
        }
        vt_gemm_problem gp = {
            .w = &w->phases[r],
            .kernel = k,
            .batch = (int32_t)N,
            .a = (const char*)staged + (pad_l + w->phase_first_offset[r]) * row_elems * es,
            .a_batch = lp * row_elems,
            .a_row = row_elems,
            .a_tap = (int64_t)w->tap_step * row_elems,
            .a_group = cin_pad,
            .rows = ov.shape[1],
            .bias = b,
            .act = p->activation,
            .slope = p->slope,
            .residual = residual ? &resv : NULL,
            .out = &ov,
        };
        st = vt_gemm_run(&gp);
    }
    if (st == VT_STATUS_OK && dense_out) vt_copy_view(&out_t, &o.t);
    if (st == VT_STATUS_OK)
        st = vt_output_commit(&o);
    else
        free(o.owned);
    free(dense_out);
    free(staged);
    free(b);
    vt_view_release(&rv);
    vt_view_release(&xv);
    return st;
}
