/* conv2d NHWC (small: the reference encoder): im2col rows staged in the GEMM format, then the shared GEMM. */
#include "vt_internal.h"

#include <stdlib.h>

typedef struct vt_im2col_job {
    const vt_tensor* x; /* f32 view [N, H, W, C] */
    const struct vt_weights* w;
    const vt_conv2d_params* p;
    int64_t ho, wo, row_elems;
    int32_t round_bf16;
    vt_panel_format fmt;
    void* dst;
} vt_im2col_job;

static void vt_im2col_task(void* ctx, int64_t r, int32_t thread) {
    (void)thread;
    const vt_im2col_job* j = ctx;
    const vt_tensor* x = j->x;
    const struct vt_weights* w = j->w;
    const vt_conv2d_params* p = j->p;
    const int32_t es = j->fmt == VT_PANEL_BF16 ? 2 : 4;
    const int64_t n = r / (j->ho * j->wo), oh = (r / j->wo) % j->ho, ow = r % j->wo;
    char* d = (char*)j->dst + r * j->row_elems * es;
    const int64_t per_tap = (int64_t)w->groups * w->cin_pad;
    for (int32_t kh = 0; kh < w->kh; ++kh)
        for (int32_t kw = 0; kw < w->kw; ++kw) {
            char* dt = d + ((int64_t)kh * w->kw + kw) * per_tap * es;
            const int64_t ih = oh * p->stride_h + (int64_t)kh * p->dilation_h - p->pad_top;
            const int64_t iw = ow * p->stride_w + (int64_t)kw * p->dilation_w - p->pad_left;
            if (ih < 0 || ih >= x->shape[1] || iw < 0 || iw >= x->shape[2]) {
                memset(dt, 0, (size_t)(per_tap * es));
                continue;
            }
            const float* s = (const float*)x->data + n * x->strides[0] + ih * x->strides[1] + iw * x->strides[2];
            for (int32_t g = 0; g < w->groups; ++g)
                vt_kernels()->stage_row(s + (int64_t)g * w->cin_g * x->strides[3], VT_DTYPE_F32, x->strides[3], w->cin_g,
                                        VT_ACTIVATION_NONE, 0.0f, j->round_bf16, dt + (int64_t)g * w->cin_pad * es,
                                        j->fmt, w->cin_pad - w->cin_g);
        }
}

vt_status vt_conv2d(const vt_tensor* input, const vt_weights* weights, const vt_tensor* bias,
                    const vt_tensor* residual, const vt_conv2d_params* params, const vt_tensor* output) {
    vt_clear_error();
    VT_TRY(vt_require_init());
    if (!weights || !params) return vt_fail(VT_STATUS_INVALID_ARGUMENT, "conv2d: weights and params are required");
    VT_TRY(vt_check_tensor(input, "conv2d input"));
    VT_TRY(vt_check_tensor(output, "conv2d output"));
    if (residual) VT_TRY(vt_check_tensor(residual, "conv2d residual"));
    const struct vt_weights* w = weights;
    const vt_conv2d_params* p = params;
    if (input->rank != 4)
        return vt_fail(VT_STATUS_INVALID_ARGUMENT, "conv2d: input must be [N, H, W, Cin], got rank %d", input->rank);
    if (w->transposed) return vt_fail(VT_STATUS_INVALID_ARGUMENT, "conv2d: the weights were prepared for conv_transpose1d");
    if (input->shape[3] != (int64_t)w->cin_g * w->groups)
        return vt_fail(VT_STATUS_INVALID_ARGUMENT, "conv2d: input has %lld channels, the weights expect %d x %d groups",
                       (long long)input->shape[3], w->cin_g, w->groups);
    if (p->stride_h < 1 || p->stride_w < 1 || p->dilation_h < 1 || p->dilation_w < 1 || p->pad_top < 0 ||
        p->pad_bottom < 0 || p->pad_left < 0 || p->pad_right < 0)
        return vt_fail(VT_STATUS_INVALID_ARGUMENT, "conv2d: strides and dilations must be >= 1, paddings >= 0");
    if ((unsigned)p->activation > VT_ACTIVATION_SIGMOID)
        return vt_fail(VT_STATUS_INVALID_ARGUMENT, "conv2d: activation %d is not supported", (int)p->activation);
    const int64_t sh = (int64_t)p->dilation_h * (w->kh - 1) + 1, sw = (int64_t)p->dilation_w * (w->kw - 1) + 1;
    const int64_t ph = input->shape[1] + p->pad_top + p->pad_bottom, pw = input->shape[2] + p->pad_left + p->pad_right;
    if (ph < sh || pw < sw) return vt_fail(VT_STATUS_INVALID_ARGUMENT, "conv2d: input smaller than the receptive field");
    const int64_t ho = (ph - sh) / p->stride_h + 1, wo = (pw - sw) / p->stride_w + 1;
    if (output->rank != 4 || output->shape[0] != input->shape[0] || output->shape[1] != ho || output->shape[2] != wo ||
        output->shape[3] != w->cout)
        return vt_fail(VT_STATUS_INVALID_ARGUMENT, "conv2d: output must be [%lld, %lld, %lld, %d]",
                       (long long)input->shape[0], (long long)ho, (long long)wo, w->cout);
    if (output->dtype == VT_DTYPE_U32) return vt_fail(VT_STATUS_UNSUPPORTED, "conv2d: u32 output");
    if (residual && !vt_same_shape(residual, output))
        return vt_fail(VT_STATUS_INVALID_ARGUMENT, "conv2d: the residual must have the output's shape");
    const int64_t N = input->shape[0];
    if (N * ho * wo * w->cout == 0) return VT_STATUS_OK;

    /* everything as 3-D [N, Ho*Wo, C] views: dense f32 copies where a view cannot be flattened */
    const vt_kernel_table* kt = vt_kernels();
    const vt_gemm_kernel* k = w->math == VT_DTYPE_BF16 ? &kt->gemm_bf16 : &kt->gemm_f32;
    const int32_t es = k->format == VT_PANEL_BF16 ? 2 : 4;
    vt_f32_view xv = {0}, rv = {0};
    float* bias_p = NULL;
    void* im2col = NULL;
    float* dense_out = NULL;
    vt_status st = vt_view_f32(input, &xv);
    if (st == VT_STATUS_OK && residual) st = vt_view_f32(residual, &rv);
    if (st == VT_STATUS_OK && bias) {
        vt_f32_view bv;
        st = vt_check_tensor(bias, "bias");
        if (st == VT_STATUS_OK && vt_numel(bias) != w->cout)
            st = vt_fail(VT_STATUS_INVALID_ARGUMENT, "conv2d: bias has %lld values for %d channels",
                         (long long)vt_numel(bias), w->cout);
        if (st == VT_STATUS_OK && (st = vt_view_f32(bias, &bv)) == VT_STATUS_OK) {
            vt_tensor d = bv.t;
            bias_p = vt_calloc((size_t)w->groups * w->nv_g * 16 * 4);
            float* tmp = vt_malloc((size_t)w->cout * 4);
            if (!bias_p || !tmp) {
                st = vt_oom((size_t)w->cout * 4);
            } else {
                d.data = tmp;
                vt_dense_strides(&d);
                vt_copy_view(&bv.t, &d);
                for (int32_t c = 0; c < w->cout; ++c)
                    bias_p[(int64_t)(c / w->cout_g) * w->nv_g * 16 + c % w->cout_g] = tmp[c];
            }
            free(tmp);
            vt_view_release(&bv);
        }
    }
    const int64_t row_elems = (int64_t)w->taps * w->groups * w->cin_pad;
    if (st == VT_STATUS_OK) {
        size_t bytes = (size_t)(N * ho * wo * row_elems) * (size_t)es;
        im2col = vt_malloc(bytes);
        if (!im2col) st = vt_oom(bytes);
    }
    vt_tensor out3 = {0}, res3 = {0};
    if (st == VT_STATUS_OK) {
        vt_im2col_job j = {&xv.t, w, p, ho, wo, row_elems, w->math == VT_DTYPE_BF16, k->format, im2col};
        vt_parallel_for(N * ho * wo, vt_im2col_task, &j);
        /* output view */
        dense_out = vt_malloc((size_t)(N * ho * wo * w->cout) * 4);
        if (!dense_out) st = vt_oom((size_t)(N * ho * wo * w->cout) * 4);
        out3.data = dense_out;
        out3.rank = 3;
        out3.shape[0] = N;
        out3.shape[1] = ho * wo;
        out3.shape[2] = w->cout;
        out3.dtype = VT_DTYPE_F32;
        vt_dense_strides(&out3);
        if (residual) {
            /* rv is f32 but maybe strided: make a dense copy in out3's shape */
            res3 = out3;
            res3.data = vt_malloc((size_t)vt_numel(&out3) * 4);
            if (!res3.data) {
                st = vt_oom((size_t)vt_numel(&out3) * 4);
            } else {
                vt_tensor d4 = rv.t;
                d4.data = res3.data;
                vt_dense_strides(&d4);
                vt_copy_view(&rv.t, &d4);
            }
        }
    }
    if (st == VT_STATUS_OK) {
        vt_gemm_problem gp = {
            .w = w,
            .kernel = k,
            .batch = (int32_t)N,
            .a = im2col,
            .a_batch = ho * wo * row_elems,
            .a_row = row_elems,
            .a_tap = (int64_t)w->groups * w->cin_pad,
            .a_group = w->cin_pad,
            .rows = ho * wo,
            .bias = bias_p,
            .act = p->activation,
            .slope = p->slope,
            .residual = residual ? &res3 : NULL,
            .out = &out3,
        };
        st = vt_gemm_run(&gp);
    }
    if (st == VT_STATUS_OK) {
        vt_tensor src4 = *output;
        src4.data = dense_out;
        src4.dtype = VT_DTYPE_F32;
        src4.layout = VT_LAYOUT_ROW_MAJOR;
        vt_dense_strides(&src4);
        st = vt_typecast(&src4, output);
    }
    free(res3.data);
    free(dense_out);
    free(im2col);
    free(bias_p);
    vt_view_release(&rv);
    vt_view_release(&xv);
    return st;
}
