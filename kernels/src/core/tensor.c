#include "vt_internal.h"

#include <stdio.h>
#include <stdlib.h>

int64_t vt_numel(const vt_tensor* t) {
    int64_t n = 1;
    for (int32_t i = 0; i < t->rank; ++i) n *= t->shape[i];
    return n;
}

int32_t vt_dtype_size(vt_dtype d) {
    switch (d) {
    case VT_DTYPE_F32:
    case VT_DTYPE_U32: return 4;
    case VT_DTYPE_BF16: return 2;
    default: return 0;
    }
}

const char* vt_dtype_name(vt_dtype d) {
    switch (d) {
    case VT_DTYPE_F32: return "f32";
    case VT_DTYPE_BF16: return "bf16";
    case VT_DTYPE_BFP8_B: return "bfp8_b";
    case VT_DTYPE_BFP4_B: return "bfp4_b";
    case VT_DTYPE_U32: return "u32";
    default: return "?";
    }
}

void vt_shape_string(const vt_tensor* t, char* buf, size_t n) {
    size_t used = 0;
    used += (size_t)snprintf(buf + used, n - used, "%s[", vt_dtype_name(t->dtype));
    for (int32_t i = 0; i < t->rank && used < n; ++i)
        used += (size_t)snprintf(buf + used, n - used, i ? ",%lld" : "%lld", (long long)t->shape[i]);
    if (used < n) snprintf(buf + used, n - used, "]%s", t->layout == VT_LAYOUT_TILE ? " tile" : "");
}

vt_status vt_check_tensor(const vt_tensor* t, const char* what) {
    if (!t) return vt_fail(VT_STATUS_INVALID_ARGUMENT, "%s: tensor is NULL", what);
    if (t->rank < 0 || t->rank > VT_MAX_RANK)
        return vt_fail(VT_STATUS_INVALID_ARGUMENT, "%s: rank %d is outside 0..%d", what, t->rank, VT_MAX_RANK);
    if ((unsigned)t->dtype > VT_DTYPE_U32) return vt_fail(VT_STATUS_INVALID_ARGUMENT, "%s: unknown dtype %d", what, t->dtype);
    if ((unsigned)t->layout > VT_LAYOUT_TILE)
        return vt_fail(VT_STATUS_INVALID_ARGUMENT, "%s: unknown layout %d", what, t->layout);
    for (int32_t i = 0; i < t->rank; ++i)
        if (t->shape[i] < 0)
            return vt_fail(VT_STATUS_INVALID_ARGUMENT, "%s: dim %d is negative (%lld)", what, i, (long long)t->shape[i]);
    if ((t->dtype == VT_DTYPE_BFP8_B || t->dtype == VT_DTYPE_BFP4_B) && t->layout != VT_LAYOUT_TILE)
        return vt_fail(VT_STATUS_INVALID_ARGUMENT, "%s: %s exists only in the tile layout", what, vt_dtype_name(t->dtype));
    if (t->layout == VT_LAYOUT_TILE && t->rank < 1)
        return vt_fail(VT_STATUS_INVALID_ARGUMENT, "%s: a tiled tensor needs rank >= 1", what);
    if (!t->data && vt_numel(t) > 0) return vt_fail(VT_STATUS_INVALID_ARGUMENT, "%s: data is NULL", what);
    return VT_STATUS_OK;
}

int vt_same_shape(const vt_tensor* a, const vt_tensor* b) {
    if (a->rank != b->rank) return 0;
    for (int32_t i = 0; i < a->rank; ++i)
        if (a->shape[i] != b->shape[i]) return 0;
    return 1;
}

void vt_dense_strides(vt_tensor* t) {
    int64_t s = 1;
    for (int32_t i = t->rank - 1; i >= 0; --i) {
        t->strides[i] = s;
        s *= t->shape[i];
    }
}

int vt_is_dense(const vt_tensor* t) {
    if (t->layout == VT_LAYOUT_TILE) return 1;
    int64_t s = 1;
    for (int32_t i = t->rank - 1; i >= 0; --i) {
        if (t->shape[i] != 1 && t->strides[i] != s) return 0;
        s *= t->shape[i];
    }
    return 1;
}

/* batch, rows, cols of the matrices a tiled tensor holds */
static void vt_tile_dims(const vt_tensor* t, int64_t* batch, int64_t* rows, int64_t* cols) {
    *cols = t->rank >= 1 ? t->shape[t->rank - 1] : 1;
    *rows = t->rank >= 2 ? t->shape[t->rank - 2] : 1;
    int64_t b = 1;
    for (int32_t i = 0; i + 2 < t->rank; ++i) b *= t->shape[i];
    *batch = b;
}

vt_status vt_tensor_bytes(const vt_tensor* t, int64_t* bytes) {
    if (!t || !bytes) return vt_fail(VT_STATUS_INVALID_ARGUMENT, "vt_tensor_bytes: NULL argument");
    vt_tensor c = *t;
    if (!c.data) c.data = (void*)1; /* only the shape matters here */
    VT_TRY(vt_check_tensor(&c, "vt_tensor_bytes"));
    if (t->layout == VT_LAYOUT_TILE) {
        int64_t b, r, k;
        vt_tile_dims(t, &b, &r, &k);
        *bytes = b * ((r + 31) / 32) * ((k + 31) / 32) * vt_tile_bytes(t->dtype);
    } else {
        *bytes = vt_numel(t) * vt_dtype_size(t->dtype);
    }
    return VT_STATUS_OK;
}

/* ---- strided copy with conversion (row-major to row-major, same shape) ---- */

typedef struct vt_copy_job {
    const vt_tensor* x;
    const vt_tensor* y;
    int64_t rows; /* product of all dims but the last */
    int64_t chunk;
} vt_copy_job;

static void vt_copy_rows(const vt_tensor* x, const vt_tensor* y, int64_t r0, int64_t r1) {
    const int32_t rank = x->rank;
    const int64_t n = rank ? x->shape[rank - 1] : 1;
    const int64_t xs = rank ? x->strides[rank - 1] : 0, ys = rank ? y->strides[rank - 1] : 0;
    const int32_t xe = vt_dtype_size(x->dtype), ye = vt_dtype_size(y->dtype);
    int64_t idx[VT_MAX_RANK] = {0};
    /* unravel r0 over the outer dims */
    int64_t r = r0;
    for (int32_t d = rank - 2; d >= 0; --d) {
        idx[d] = r % x->shape[d];
        r /= x->shape[d];
    }
    for (int64_t row = r0; row < r1; ++row) {
        int64_t xo = 0, yo = 0;
        for (int32_t d = 0; d < rank - 1; ++d) {
            xo += idx[d] * x->strides[d];
            yo += idx[d] * y->strides[d];
        }
        const char* xp = (const char*)x->data + xo * xe;
        char* yp = (char*)y->data + yo * ye;
        if (x->dtype == y->dtype && xs == 1 && ys == 1) {
            memcpy(yp, xp, (size_t)(n * xe));
        } else if (x->dtype == y->dtype && xe == 4) {
            for (int64_t i = 0; i < n; ++i) ((uint32_t*)yp)[i * ys] = ((const uint32_t*)xp)[i * xs];
        } else if (x->dtype == y->dtype && xe == 2) {
            for (int64_t i = 0; i < n; ++i) ((uint16_t*)yp)[i * ys] = ((const uint16_t*)xp)[i * xs];
        } else if (x->dtype == VT_DTYPE_F32 && y->dtype == VT_DTYPE_BF16 && xs == 1 && ys == 1) {
            vt_kernels()->f32_to_bf16((const float*)xp, (uint16_t*)yp, n);
        } else if (x->dtype == VT_DTYPE_BF16 && y->dtype == VT_DTYPE_F32 && xs == 1 && ys == 1) {
            vt_kernels()->bf16_to_f32((const uint16_t*)xp, (float*)yp, n);
        } else {
            for (int64_t i = 0; i < n; ++i) vt_store_elem(yp, y->dtype, i * ys, vt_load_elem(xp, x->dtype, i * xs));
        }
        for (int32_t d = rank - 2; d >= 0; --d) {
            if (++idx[d] < x->shape[d]) break;
            idx[d] = 0;
        }
    }
}

static void vt_copy_task(void* ctx, int64_t i, int32_t thread) {
    (void)thread;
    const vt_copy_job* j = ctx;
    int64_t r0 = i * j->chunk, r1 = r0 + j->chunk;
    if (r1 > j->rows) r1 = j->rows;
    vt_copy_rows(j->x, j->y, r0, r1);
}

/* y = x elementwise, both row-major with the same shape; any strides; converts dtypes */
VT_HIDDEN void vt_copy_view(const vt_tensor* x, const vt_tensor* y) {
    int64_t total = vt_numel(x);
    if (total == 0) return;
    int64_t rows = x->rank >= 1 ? total / x->shape[x->rank - 1] : 1;
    int64_t inner = total / rows;
    vt_copy_job job = {x, y, rows, rows};
    if (total >= (1 << 16) && rows > 1) {
        int64_t per = (1 << 14) / (inner ? inner : 1);
        job.chunk = per < 1 ? 1 : per;
        vt_parallel_for((rows + job.chunk - 1) / job.chunk, vt_copy_task, &job);
    } else {
        vt_copy_rows(x, y, 0, rows);
    }
}

/* ---- f32 views and staged outputs ---- */

vt_status vt_view_f32(const vt_tensor* src, vt_f32_view* view) {
    view->owned = NULL;
    view->t = *src;
    if (src->layout == VT_LAYOUT_ROW_MAJOR && src->dtype == VT_DTYPE_F32) return VT_STATUS_OK;
    int64_t n = vt_numel(src);
    float* dense = vt_malloc((size_t)n * sizeof(float));
    if (!dense) return vt_oom((size_t)n * sizeof(float));
    view->owned = dense;
    view->t.data = dense;
    view->t.dtype = VT_DTYPE_F32;
    view->t.layout = VT_LAYOUT_ROW_MAJOR;
    vt_dense_strides(&view->t);
    if (src->layout == VT_LAYOUT_TILE) {
        int64_t b, r, c;
        vt_tile_dims(src, &b, &r, &c);
        vt_status st = vt_unpack_tiles_impl(src->data, src->dtype, b, r, c, dense);
        if (st != VT_STATUS_OK) {
            vt_view_release(view);
            return st;
        }
    } else {
        vt_copy_view(src, &view->t);
    }
    return VT_STATUS_OK;
}

void vt_view_release(vt_f32_view* view) {
    free(view->owned);
    view->owned = NULL;
}

vt_status vt_output_begin(const vt_tensor* y, vt_output* o) {
    o->t = *y;
    o->target = y;
    o->owned = NULL;
    if (y->layout == VT_LAYOUT_ROW_MAJOR) return VT_STATUS_OK;
    int64_t n = vt_numel(y);
    float* dense = vt_malloc((size_t)n * sizeof(float));
    if (!dense) return vt_oom((size_t)n * sizeof(float));
    o->owned = dense;
    o->t.data = dense;
    o->t.dtype = VT_DTYPE_F32;
    o->t.layout = VT_LAYOUT_ROW_MAJOR;
    vt_dense_strides(&o->t);
    return VT_STATUS_OK;
}

vt_status vt_output_commit(vt_output* o) {
    vt_status st = VT_STATUS_OK;
    if (o->owned) {
        int64_t b, r, c;
        vt_tile_dims(o->target, &b, &r, &c);
        st = vt_pack_tiles_impl(o->owned, b, r, c, o->target->dtype, o->target->data);
        free(o->owned);
        o->owned = NULL;
    }
    return st;
}

vt_status vt_typecast(const vt_tensor* x, const vt_tensor* y) {
    vt_clear_error();
    VT_TRY(vt_require_init());
    VT_TRY(vt_check_tensor(x, "typecast input"));
    VT_TRY(vt_check_tensor(y, "typecast output"));
    if (!vt_same_shape(x, y)) {
        char a[128], b[128];
        vt_shape_string(x, a, sizeof a);
        vt_shape_string(y, b, sizeof b);
        return vt_fail(VT_STATUS_INVALID_ARGUMENT, "typecast: shapes differ (%s vs %s)", a, b);
    }
    if (x->layout == VT_LAYOUT_ROW_MAJOR && y->layout == VT_LAYOUT_ROW_MAJOR) {
        vt_copy_view(x, y);
        return VT_STATUS_OK;
    }
    vt_f32_view v;
    VT_TRY(vt_view_f32(x, &v));
    vt_output o;
    vt_status st = vt_output_begin(y, &o);
    if (st == VT_STATUS_OK) {
        vt_copy_view(&v.t, &o.t);
        st = vt_output_commit(&o);
    }
    vt_view_release(&v);
    return st;
}
