/* cumsum, softmax and layer_norm: each works on independent lines along one dim, in fp32. */
#include "vt_internal.h"

#include <math.h>
#include <stdlib.h>

typedef enum vt_line_op { VT_LINE_CUMSUM, VT_LINE_SOFTMAX, VT_LINE_LAYER_NORM, VT_LINE_REDUCE } vt_line_op;

typedef struct vt_line_job {
    vt_line_op op;
    const vt_tensor* x; /* row-major (f32 view or the input) */
    const vt_tensor* y; /* row-major */
    int32_t dim;
    int32_t reverse;
    const float* gamma;
    const float* beta;
    float eps;
    int64_t lines, n;
    vt_reduce_op reduce;
} vt_line_job;

static void vt_line_task(void* ctx, int64_t line, int32_t thread) {
    (void)thread;
    const vt_line_job* j = ctx;
    const vt_tensor* x = j->x;
    const vt_tensor* y = j->y;
    int64_t xo = 0, yo = 0, rem = line;
    for (int32_t d = x->rank - 1; d >= 0; --d) {
        if (d == j->dim) continue;
        const int64_t idx = rem % x->shape[d];
        rem /= x->shape[d];
        xo += idx * x->strides[d];
        yo += idx * y->strides[d];
    }
    const int64_t n = j->n, xs = x->strides[j->dim], ys = y->strides[j->dim];
    float stack[1024];
    stack[0] = 0.0f;
    float* v = n <= 1024 ? stack : malloc((size_t)n * 4);
    if (!v) return; /* n was checked against memory before; unreachable in practice */
    for (int64_t i = 0; i < n; ++i) v[i] = vt_load_elem(x->data, x->dtype, xo + i * xs);
    if (j->op == VT_LINE_REDUCE) {
        float r = v[0];
        if (j->reduce == VT_REDUCE_OP_SUM || j->reduce == VT_REDUCE_OP_MEAN) {
            r = 0.0f;
            for (int64_t i = 0; i < n; ++i) r += v[i];
            if (j->reduce == VT_REDUCE_OP_MEAN) r /= (float)n;
        } else {
            for (int64_t i = 1; i < n; ++i) r = j->reduce == VT_REDUCE_OP_MAX ? (v[i] > r ? v[i] : r) : (v[i] < r ? v[i] : r);
        }
        vt_store_elem(y->data, y->dtype, yo, r);
        if (v != stack) free(v);
        return;
    }
    if (j->op == VT_LINE_CUMSUM) {
        float acc = 0.0f;
        if (j->reverse)
            for (int64_t i = n - 1; i >= 0; --i) v[i] = acc += v[i];
        else
            for (int64_t i = 0; i < n; ++i) v[i] = acc += v[i];
    } else if (j->op == VT_LINE_SOFTMAX) {
        float m = -INFINITY;
        for (int64_t i = 0; i < n; ++i) m = v[i] > m ? v[i] : m;
        float s = 0.0f;
        for (int64_t i = 0; i < n; ++i) s += v[i] = expf(v[i] - m);
        const float inv = 1.0f / s;
        for (int64_t i = 0; i < n; ++i) v[i] *= inv;
    } else {
        float mean = 0.0f;
        for (int64_t i = 0; i < n; ++i) mean += v[i];
        mean /= (float)n;
        float var = 0.0f;
        for (int64_t i = 0; i < n; ++i) var += (v[i] - mean) * (v[i] - mean);
        var /= (float)n;
        const float inv = 1.0f / sqrtf(var + j->eps);
        for (int64_t i = 0; i < n; ++i) {
            float r = (v[i] - mean) * inv;
            if (j->gamma) r *= j->gamma[i];
            if (j->beta) r += j->beta[i];
            v[i] = r;
        }
    }
    for (int64_t i = 0; i < n; ++i) vt_store_elem(y->data, y->dtype, yo + i * ys, v[i]);
    if (v != stack) free(v);
}

static vt_status vt_dense_param(const vt_tensor* t, int64_t n, const char* what, float** out) {
    *out = NULL;
    if (!t) return VT_STATUS_OK;
    VT_TRY(vt_check_tensor(t, what));
    if (vt_numel(t) != n)
        return vt_fail(VT_STATUS_INVALID_ARGUMENT, "%s has %lld values, the last dim %lld", what, (long long)vt_numel(t),
                       (long long)n);
    vt_f32_view v;
    VT_TRY(vt_view_f32(t, &v));
    float* d = vt_malloc((size_t)n * 4);
    if (!d) {
        vt_view_release(&v);
        return vt_oom((size_t)n * 4);
    }
    vt_tensor dt = v.t;
    dt.data = d;
    vt_dense_strides(&dt);
    vt_copy_view(&v.t, &dt);
    vt_view_release(&v);
    *out = d;
    return VT_STATUS_OK;
}

static vt_status vt_lines(vt_line_op op, const vt_tensor* x, int32_t dim, int32_t reverse, const vt_tensor* gamma,
                          const vt_tensor* beta, float eps, const vt_tensor* y, const char* what) {
    vt_clear_error();
    VT_TRY(vt_require_init());
    VT_TRY(vt_check_tensor(x, what));
    VT_TRY(vt_check_tensor(y, what));
    if (!vt_same_shape(x, y)) return vt_fail(VT_STATUS_INVALID_ARGUMENT, "%s: input and output shapes differ", what);
    if (x->rank == 0) return vt_fail(VT_STATUS_INVALID_ARGUMENT, "%s: needs rank >= 1", what);
    if (dim < 0) dim += x->rank;
    if (dim < 0 || dim >= x->rank) return vt_fail(VT_STATUS_INVALID_ARGUMENT, "%s: dim out of range", what);
    if (vt_numel(x) == 0) return VT_STATUS_OK;
    vt_f32_view xv = {0};
    const vt_tensor* xt = x;
    vt_status st = VT_STATUS_OK;
    if (x->layout == VT_LAYOUT_TILE) {
        st = vt_view_f32(x, &xv);
        xt = &xv.t;
    }
    float *g = NULL, *b = NULL;
    const int64_t n = x->shape[dim];
    if (st == VT_STATUS_OK) st = vt_dense_param(gamma, n, "layer_norm weight", &g);
    if (st == VT_STATUS_OK) st = vt_dense_param(beta, n, "layer_norm bias", &b);
    vt_output o;
    o.owned = NULL;
    if (st == VT_STATUS_OK) st = vt_output_begin(y, &o);
    if (st == VT_STATUS_OK) {
        vt_line_job j = {op, xt, &o.t, dim, reverse, g, b, eps, vt_numel(x) / n, n, VT_REDUCE_OP_SUM};
        vt_parallel_for(j.lines, vt_line_task, &j);
        st = vt_output_commit(&o);
    } else {
        free(o.owned);
    }
    free(g);
    free(b);
    vt_view_release(&xv);
    return st;
}

vt_status vt_cumsum(const vt_tensor* x, int32_t dim, int32_t reverse, const vt_tensor* y) {
    return vt_lines(VT_LINE_CUMSUM, x, dim, reverse, NULL, NULL, 0.0f, y, "cumsum");
}

vt_status vt_softmax(const vt_tensor* x, int32_t dim, const vt_tensor* y) {
    return vt_lines(VT_LINE_SOFTMAX, x, dim, 0, NULL, NULL, 0.0f, y, "softmax");
}

vt_status vt_layer_norm(const vt_tensor* x, const vt_tensor* gamma, const vt_tensor* beta, float epsilon,
                        const vt_tensor* y) {
    return vt_lines(VT_LINE_LAYER_NORM, x, -1, 0, gamma, beta, epsilon, y, "layer_norm");
}

vt_status vt_reduce(vt_reduce_op op, const vt_tensor* x, int32_t dim, const vt_tensor* y) {
    vt_clear_error();
    VT_TRY(vt_require_init());
    VT_TRY(vt_check_tensor(x, "reduce input"));
    VT_TRY(vt_check_tensor(y, "reduce output"));
    if ((unsigned)op > VT_REDUCE_OP_MIN) return vt_fail(VT_STATUS_INVALID_ARGUMENT, "reduce: unknown op %d", (int)op);
    if (x->rank == 0) return vt_fail(VT_STATUS_INVALID_ARGUMENT, "reduce: needs rank >= 1");
    if (dim < 0) dim += x->rank;
    if (dim < 0 || dim >= x->rank) return vt_fail(VT_STATUS_INVALID_ARGUMENT, "reduce: dim out of range");
    const int64_t n = x->shape[dim];
    /* y: x's shape with dim 1 (keepdim) or without it */
    int ok = y->rank == x->rank || y->rank == x->rank - 1;
    for (int32_t d = 0, e = 0; ok && d < x->rank; ++d) {
        if (d == dim) {
            if (y->rank == x->rank) ok = y->shape[e++] == 1;
            continue;
        }
        ok = y->shape[e++] == x->shape[d];
    }
    if (!ok) return vt_fail(VT_STATUS_INVALID_ARGUMENT, "reduce: the output must be the input's shape with dim %d 1 or removed", dim);
    if (n == 0) return vt_fail(VT_STATUS_INVALID_ARGUMENT, "reduce: dim %d is empty", dim);
    if (vt_numel(x) == 0) return VT_STATUS_OK;
    vt_f32_view xv = {0};
    const vt_tensor* xt = x;
    vt_status st = VT_STATUS_OK;
    if (x->layout == VT_LAYOUT_TILE) {
        st = vt_view_f32(x, &xv);
        xt = &xv.t;
    }
    vt_output o;
    o.owned = NULL;
    if (st == VT_STATUS_OK) st = vt_output_begin(y, &o);
    if (st == VT_STATUS_OK) {
        /* y seen with x's rank: the reduced dim gets extent 1 and stride 0 */
        vt_tensor yk = o.t;
        yk.rank = x->rank;
        for (int32_t d = 0, e = 0; d < x->rank; ++d) {
            if (d == dim) {
                yk.shape[d] = 1;
                yk.strides[d] = 0;
                if (o.t.rank == x->rank) ++e;
            } else {
                yk.shape[d] = o.t.shape[e];
                yk.strides[d] = o.t.strides[e];
                ++e;
            }
        }
        vt_line_job j = {VT_LINE_REDUCE, xt, &yk, dim, 0, NULL, NULL, 0.0f, vt_numel(x) / n, n, op};
        vt_parallel_for(j.lines, vt_line_task, &j);
        st = vt_output_commit(&o);
    } else {
        free(o.owned);
    }
    vt_view_release(&xv);
    return st;
}
