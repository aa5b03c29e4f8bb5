#include "vt_internal.h"

#include <math.h>
#include <stdlib.h>

float vt_unary_scalar(vt_unary_op op, float p, float x) {
    switch (op) {
    case VT_UNARY_OP_RELU: return x > 0.0f ? x : 0.0f;
    case VT_UNARY_OP_LEAKY_RELU: return x < 0.0f ? p * x : x;
    case VT_UNARY_OP_TANH: return tanhf(x);
    case VT_UNARY_OP_SIGMOID: return 1.0f / (1.0f + expf(-x));
    case VT_UNARY_OP_EXP: return expf(x);
    case VT_UNARY_OP_SQRT: return sqrtf(x);
    case VT_UNARY_OP_GELU: return 0.5f * x * (1.0f + erff(x * 0.70710678118654752f));
    case VT_UNARY_OP_LOG: return logf(x);
    case VT_UNARY_OP_NEG: return -x;
    case VT_UNARY_OP_CEIL: return ceilf(x);
    case VT_UNARY_OP_RECIPROCAL: return 1.0f / x;
    case VT_UNARY_OP_ABS: return fabsf(x);
    case VT_UNARY_OP_FLOOR: return floorf(x);
    case VT_UNARY_OP_RSQRT: return 1.0f / sqrtf(x);
    case VT_UNARY_OP_ERF: return erff(x);
    case VT_UNARY_OP_SILU: return x / (1.0f + expf(-x));
    case VT_UNARY_OP_SOFTPLUS: return x > 20.0f ? x : log1pf(expf(x));
    case VT_UNARY_OP_SQUARE: return x * x;
    case VT_UNARY_OP_MUL_SCALAR: return p * x;
    case VT_UNARY_OP_ADD_SCALAR: return x + p;
    default: return x;
    }
}

enum { VT_CHUNK = 4096 };

typedef struct vt_unary_job {
    vt_unary_op op;
    float param;
    const vt_tensor* x;
    const vt_tensor* y;
    int64_t n;
} vt_unary_job;

static void vt_unary_task(void* ctx, int64_t i, int32_t thread) {
    (void)thread;
    const vt_unary_job* j = ctx;
    const vt_kernel_table* kt = vt_kernels();
    float buf[VT_CHUNK];
    const int64_t i0 = i * VT_CHUNK, m = j->n - i0 < VT_CHUNK ? j->n - i0 : VT_CHUNK;
    const float* src = buf;
    if (j->x->dtype == VT_DTYPE_F32)
        src = (const float*)j->x->data + i0;
    else
        kt->bf16_to_f32((const uint16_t*)j->x->data + i0, buf, m);
    if (j->y->dtype == VT_DTYPE_F32) {
        kt->unary_f32(j->op, j->param, src, (float*)j->y->data + i0, m);
    } else {
        kt->unary_f32(j->op, j->param, src, buf, m);
        kt->f32_to_bf16(buf, (uint16_t*)j->y->data + i0, m);
    }
}

static int vt_fast_dtype(vt_dtype d) { return d == VT_DTYPE_F32 || d == VT_DTYPE_BF16; }

vt_status vt_unary(vt_unary_op op, float param, const vt_tensor* x, const vt_tensor* y) {
    vt_clear_error();
    VT_TRY(vt_require_init());
    VT_TRY(vt_check_tensor(x, "unary input"));
    VT_TRY(vt_check_tensor(y, "unary output"));
    if ((unsigned)op > VT_UNARY_OP_ADD_SCALAR) return vt_fail(VT_STATUS_INVALID_ARGUMENT, "unary: unknown op %d", (int)op);
    if (!vt_same_shape(x, y)) return vt_fail(VT_STATUS_INVALID_ARGUMENT, "unary: input and output shapes differ");
    const int64_t n = vt_numel(x);
    if (n == 0) return VT_STATUS_OK;
    if (x->layout == VT_LAYOUT_ROW_MAJOR && y->layout == VT_LAYOUT_ROW_MAJOR && vt_is_dense(x) && vt_is_dense(y) &&
        vt_fast_dtype(x->dtype) && vt_fast_dtype(y->dtype)) {
        vt_unary_job j = {op, param, x, y, n};
        vt_parallel_for((n + VT_CHUNK - 1) / VT_CHUNK, vt_unary_task, &j);
        return VT_STATUS_OK;
    }
    /* general: dense f32 in, dense f32 out, then typecast into y */
    vt_f32_view v;
    VT_TRY(vt_view_f32(x, &v));
    float* in = v.t.data;
    float* tmp = NULL;
    float* out = vt_malloc((size_t)n * 4);
    vt_status st = out ? VT_STATUS_OK : vt_oom((size_t)n * 4);
    if (st == VT_STATUS_OK && !vt_is_dense(&v.t)) {
        tmp = vt_malloc((size_t)n * 4);
        if (!tmp) {
            st = vt_oom((size_t)n * 4);
        } else {
            vt_tensor d = v.t;
            d.data = tmp;
            vt_dense_strides(&d);
            vt_copy_view(&v.t, &d);
            in = tmp;
        }
    }
    if (st == VT_STATUS_OK) {
        vt_tensor xd = v.t, yd = v.t;
        xd.data = in;
        vt_dense_strides(&xd);
        yd.data = out;
        vt_dense_strides(&yd);
        vt_unary_job j = {op, param, &xd, &yd, n};
        vt_parallel_for((n + VT_CHUNK - 1) / VT_CHUNK, vt_unary_task, &j);
        st = vt_typecast(&yd, y);
    }
    free(tmp);
    free(out);
    vt_view_release(&v);
    return st;
}
