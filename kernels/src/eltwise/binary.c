/* Binary ops and where, with numpy broadcasting: every operand becomes a view of the output's shape (stride 0 on
   broadcast dims); rows of the output are processed in f32 chunks. */
#include "vt_internal.h"

#include <math.h>
#include <stdlib.h>

VT_HIDDEN vt_status vt_broadcast_view(const vt_tensor* t, const vt_tensor* y, vt_tensor* out, const char* what) {
    if (t->rank > y->rank)
        return vt_fail(VT_STATUS_INVALID_ARGUMENT, "%s: rank %d does not broadcast to rank %d", what, t->rank, y->rank);
    *out = *t;
    out->rank = y->rank;
    const int32_t shift = y->rank - t->rank;
    for (int32_t d = y->rank - 1; d >= 0; --d) {
        const int32_t td = d - shift;
        out->shape[d] = y->shape[d];
        if (td < 0) {
            out->strides[d] = 0;
        } else if (t->shape[td] == y->shape[d]) {
            out->strides[d] = t->strides[td];
        } else if (t->shape[td] == 1) {
            out->strides[d] = 0;
        } else {
            char a[128], b[128];
            vt_shape_string(t, a, sizeof a);
            vt_shape_string(y, b, sizeof b);
            return vt_fail(VT_STATUS_INVALID_ARGUMENT, "%s: %s does not broadcast to %s", what, a, b);
        }
    }
    return VT_STATUS_OK;
}

static inline float vt_binary_scalar(vt_binary_op op, float a, float b) {
    switch (op) {
    case VT_BINARY_OP_ADD: return a + b;
    case VT_BINARY_OP_SUB: return a - b;
    case VT_BINARY_OP_MUL: return a * b;
    case VT_BINARY_OP_DIV: return a / b;
    case VT_BINARY_OP_MAXIMUM: return a > b ? a : b;
    case VT_BINARY_OP_MINIMUM: return a < b ? a : b;
    case VT_BINARY_OP_POW: return powf(a, b);
    case VT_BINARY_OP_LT: return a < b ? 1.0f : 0.0f;
    case VT_BINARY_OP_LE: return a <= b ? 1.0f : 0.0f;
    case VT_BINARY_OP_GT: return a > b ? 1.0f : 0.0f;
    case VT_BINARY_OP_GE: return a >= b ? 1.0f : 0.0f;
    case VT_BINARY_OP_EQ: return a == b ? 1.0f : 0.0f;
    case VT_BINARY_OP_NE: return a != b ? 1.0f : 0.0f;
    default: return 0.0f;
    }
}

enum { VT_ROW_CHUNK = 1024 };

static void vt_load_span(const vt_tensor* t, int64_t off, int64_t stride, int64_t n, float* buf) {
    if (stride == 0) {
        const float v = vt_load_elem(t->data, t->dtype, off);
        for (int64_t i = 0; i < n; ++i) buf[i] = v;
    } else if (t->dtype == VT_DTYPE_F32 && stride == 1) {
        memcpy(buf, (const float*)t->data + off, (size_t)n * 4);
    } else if (t->dtype == VT_DTYPE_BF16 && stride == 1) {
        vt_kernels()->bf16_to_f32((const uint16_t*)t->data + off, buf, n);
    } else {
        for (int64_t i = 0; i < n; ++i) buf[i] = vt_load_elem(t->data, t->dtype, off + i * stride);
    }
}

static void vt_store_span(const vt_tensor* t, int64_t off, int64_t stride, int64_t n, const float* buf) {
    if (t->dtype == VT_DTYPE_F32 && stride == 1)
        memcpy((float*)t->data + off, buf, (size_t)n * 4);
    else if (t->dtype == VT_DTYPE_BF16 && stride == 1)
        vt_kernels()->f32_to_bf16(buf, (uint16_t*)t->data + off, n);
    else
        for (int64_t i = 0; i < n; ++i) vt_store_elem(t->data, t->dtype, off + i * stride, buf[i]);
}

typedef struct vt_nary_job {
    int32_t kind; /* 0 binary, 1 where */
    vt_binary_op op;
    const vt_tensor* in[3];
    int32_t count;
    const vt_tensor* y;
    int64_t rows, inner;
    /* 1: every operand is dense like y or one broadcast value, so the tensor is one span and the items are runs of
       VT_FLAT_ITEM elements: a [L, 32] tensor as L rows of 32 spent most of its time finding each row */
    int32_t flat;
    int32_t flat_step[3]; /* per operand: 1 dense like y, 0 one value */
    int64_t numel;
} vt_nary_job;

enum { VT_FLAT_ITEM = 16 * VT_ROW_CHUNK };

static void vt_nary_task(void* ctx, int64_t row, int32_t thread) {
    (void)thread;
    const vt_nary_job* j = ctx;
    const vt_tensor* y = j->y;
    const int32_t r = y->rank;
    int64_t off[4] = {0, 0, 0, 0}, step[4] = {0, 0, 0, 0}, inner = j->inner;
    if (j->flat) {
        const int64_t e0 = row * VT_FLAT_ITEM;
        inner = j->numel - e0 < VT_FLAT_ITEM ? j->numel - e0 : VT_FLAT_ITEM;
        for (int32_t k = 0; k < j->count; ++k) {
            step[k] = j->flat_step[k];
            off[k] = step[k] * e0;
        }
        off[3] = e0;
    } else {
        int64_t rem = row;
        for (int32_t d = r - 2; d >= 0; --d) {
            const int64_t idx = rem % y->shape[d];
            rem /= y->shape[d];
            for (int32_t k = 0; k < j->count; ++k) off[k] += idx * j->in[k]->strides[d];
            off[3] += idx * y->strides[d];
        }
        for (int32_t k = 0; k < j->count; ++k) step[k] = r ? j->in[k]->strides[r - 1] : 0;
    }
    float buf[3][VT_ROW_CHUNK];
    for (int64_t c0 = 0; c0 < inner; c0 += VT_ROW_CHUNK) {
        const int64_t n = inner - c0 < VT_ROW_CHUNK ? inner - c0 : VT_ROW_CHUNK;
        for (int32_t k = 0; k < j->count; ++k) vt_load_span(j->in[k], off[k] + c0 * step[k], step[k], n, buf[k]);
        if (j->kind == 1) {
            for (int64_t i = 0; i < n; ++i) buf[0][i] = buf[0][i] != 0.0f ? buf[1][i] : buf[2][i];
        } else {
            switch (j->op) { /* the common ones as plain loops, so they vectorize */
            case VT_BINARY_OP_ADD:
                for (int64_t i = 0; i < n; ++i) buf[0][i] += buf[1][i];
                break;
            case VT_BINARY_OP_SUB:
                for (int64_t i = 0; i < n; ++i) buf[0][i] -= buf[1][i];
                break;
            case VT_BINARY_OP_MUL:
                for (int64_t i = 0; i < n; ++i) buf[0][i] *= buf[1][i];
                break;
            default:
                for (int64_t i = 0; i < n; ++i) buf[0][i] = vt_binary_scalar(j->op, buf[0][i], buf[1][i]);
                break;
            }
        }
        const int64_t ys = j->flat ? 1 : r ? y->strides[r - 1] : 0;
        vt_store_span(y, off[3] + c0 * ys, ys, n, buf[0]);
    }
}

static vt_status vt_nary(int32_t kind, vt_binary_op op, const vt_tensor* const* in, int32_t count, const vt_tensor* y,
                         const char* what) {
    VT_TRY(vt_require_init());
    VT_TRY(vt_check_tensor(y, what));
    for (int32_t k = 0; k < count; ++k) VT_TRY(vt_check_tensor(in[k], what));
    if (vt_numel(y) == 0) return VT_STATUS_OK;
    vt_f32_view views[3] = {{{0}, NULL}, {{0}, NULL}, {{0}, NULL}};
    vt_tensor bv[3];
    vt_output o;
    vt_status st = VT_STATUS_OK;
    o.owned = NULL;
    for (int32_t k = 0; k < count && st == VT_STATUS_OK; ++k) {
        const vt_tensor* t = in[k];
        if (t->layout == VT_LAYOUT_TILE) {
            st = vt_view_f32(t, &views[k]);
            t = &views[k].t;
        }
        if (st == VT_STATUS_OK) st = vt_broadcast_view(t, y, &bv[k], what);
    }
    if (st == VT_STATUS_OK) st = vt_output_begin(y, &o);
    if (st == VT_STATUS_OK) {
        vt_nary_job j = {kind, op, {&bv[0], &bv[1], count > 2 ? &bv[2] : NULL}, count, &o.t, 1, 1, 0, {0, 0, 0}, 0};
        j.inner = y->rank ? y->shape[y->rank - 1] : 1;
        j.rows = vt_numel(y) / j.inner;
        j.numel = vt_numel(y);
        j.flat = o.t.layout == VT_LAYOUT_ROW_MAJOR && vt_is_dense(&o.t);
        for (int32_t k = 0; k < count && j.flat; ++k) {
            int32_t same = bv[k].layout == VT_LAYOUT_ROW_MAJOR, zero = same;
            for (int32_t d = 0; d < o.t.rank; ++d) {
                same &= bv[k].strides[d] == o.t.strides[d] || o.t.shape[d] == 1;
                zero &= bv[k].strides[d] == 0 || o.t.shape[d] == 1;
            }
            j.flat = same || zero;
            j.flat_step[k] = same ? 1 : 0;
        }
        vt_parallel_for(j.flat ? (j.numel + VT_FLAT_ITEM - 1) / VT_FLAT_ITEM : j.rows, vt_nary_task, &j);
        st = vt_output_commit(&o);
    } else {
        free(o.owned);
    }
    for (int32_t k = 0; k < count; ++k) vt_view_release(&views[k]);
    return st;
}

vt_status vt_binary(vt_binary_op op, const vt_tensor* a, const vt_tensor* b, const vt_tensor* y) {
    vt_clear_error();
    if ((unsigned)op > VT_BINARY_OP_NE) return vt_fail(VT_STATUS_INVALID_ARGUMENT, "binary: unknown op %d", (int)op);
    const vt_tensor* in[2] = {a, b};
    return vt_nary(0, op, in, 2, y, "binary");
}

vt_status vt_where(const vt_tensor* cond, const vt_tensor* a, const vt_tensor* b, const vt_tensor* y) {
    vt_clear_error();
    const vt_tensor* in[3] = {cond, a, b};
    return vt_nary(1, VT_BINARY_OP_ADD, in, 3, y, "where");
}
