/* Data movement: every op is a strided copy between views (with dtype conversion), so they share vt_copy_view. */
#include "vt_internal.h"

#include <stdlib.h>

/* a row-major source: the tensor itself, or a dense f32 copy of a tiled one */
static vt_status vt_source(const vt_tensor* x, vt_f32_view* v, const vt_tensor** out) {
    v->owned = NULL;
    if (x->layout == VT_LAYOUT_ROW_MAJOR) {
        *out = x;
        return VT_STATUS_OK;
    }
    VT_TRY(vt_view_f32(x, v));
    *out = &v->t;
    return VT_STATUS_OK;
}

static vt_status vt_begin(const vt_tensor* x, const vt_tensor* y, const char* what, vt_f32_view* xv,
                          const vt_tensor** xs, vt_output* o) {
    vt_clear_error();
    o->owned = NULL;
    xv->owned = NULL;
    VT_TRY(vt_require_init());
    VT_TRY(vt_check_tensor(x, what));
    VT_TRY(vt_check_tensor(y, what));
    VT_TRY(vt_source(x, xv, xs));
    vt_status st = vt_output_begin(y, o);
    if (st != VT_STATUS_OK) vt_view_release(xv);
    return st;
}

static vt_status vt_end(vt_status st, vt_f32_view* xv, vt_output* o) {
    if (st == VT_STATUS_OK)
        st = vt_output_commit(o);
    else
        free(o->owned);
    vt_view_release(xv);
    return st;
}

static void vt_fill(const vt_tensor* y, float value) {
    /* a 1-element source broadcast over y */
    float one = value;
    vt_tensor s = *y;
    s.data = &one;
    s.dtype = VT_DTYPE_F32;
    s.layout = VT_LAYOUT_ROW_MAJOR;
    for (int32_t d = 0; d < s.rank; ++d) s.strides[d] = 0;
    vt_copy_view(&s, y);
}

vt_status vt_slice(const vt_tensor* x, const int64_t* begins, const int64_t* steps, const vt_tensor* y) {
    vt_f32_view xv;
    const vt_tensor* xs;
    vt_output o;
    VT_TRY(vt_begin(x, y, "slice", &xv, &xs, &o));
    vt_status st = VT_STATUS_OK;
    if (!begins || !steps || x->rank != y->rank) st = vt_fail(VT_STATUS_INVALID_ARGUMENT, "slice: begins/steps and equal ranks are required");
    vt_tensor v = *xs;
    int64_t off = 0;
    for (int32_t d = 0; st == VT_STATUS_OK && d < x->rank; ++d) {
        const int64_t n = y->shape[d];
        if (n > 0) {
            const int64_t last = begins[d] + (n - 1) * steps[d];
            if (steps[d] == 0 || begins[d] < 0 || begins[d] >= x->shape[d] || last < 0 || last >= x->shape[d])
                st = vt_fail(VT_STATUS_INVALID_ARGUMENT, "slice: dim %d: begin %lld step %lld x %lld leaves [0, %lld)", d,
                             (long long)begins[d], (long long)steps[d], (long long)n, (long long)x->shape[d]);
            off += begins[d] * xs->strides[d];
        }
        v.shape[d] = n;
        v.strides[d] = xs->strides[d] * steps[d];
    }
    if (st == VT_STATUS_OK && vt_numel(y) > 0) {
        v.data = (char*)xs->data + off * vt_dtype_size(xs->dtype);
        vt_copy_view(&v, &o.t);
    }
    return vt_end(st, &xv, &o);
}

vt_status vt_permute(const vt_tensor* x, const int32_t* perm, const vt_tensor* y) {
    vt_f32_view xv;
    const vt_tensor* xs;
    vt_output o;
    VT_TRY(vt_begin(x, y, "permute", &xv, &xs, &o));
    vt_status st = VT_STATUS_OK;
    int32_t seen = 0;
    if (!perm || x->rank != y->rank) st = vt_fail(VT_STATUS_INVALID_ARGUMENT, "permute: perm and equal ranks are required");
    vt_tensor v = *xs;
    for (int32_t d = 0; st == VT_STATUS_OK && d < x->rank; ++d) {
        const int32_t s = perm[d];
        if (s < 0 || s >= x->rank || (seen & (1 << s)) || x->shape[s] != y->shape[d]) {
            st = vt_fail(VT_STATUS_INVALID_ARGUMENT, "permute: bad permutation entry %d at %d (or shape mismatch)", s, d);
            break;
        }
        seen |= 1 << s;
        v.shape[d] = xs->shape[s];
        v.strides[d] = xs->strides[s];
    }
    if (st == VT_STATUS_OK) vt_copy_view(&v, &o.t);
    return vt_end(st, &xv, &o);
}

vt_status vt_transpose(const vt_tensor* x, int32_t dim0, int32_t dim1, const vt_tensor* y) {
    vt_clear_error();
    if (!x) return vt_fail(VT_STATUS_INVALID_ARGUMENT, "transpose: input is NULL");
    if (dim0 < 0) dim0 += x->rank;
    if (dim1 < 0) dim1 += x->rank;
    if (x->rank < 0 || x->rank > VT_MAX_RANK || dim0 < 0 || dim0 >= x->rank || dim1 < 0 || dim1 >= x->rank)
        return vt_fail(VT_STATUS_INVALID_ARGUMENT, "transpose: dims %d, %d out of range for rank %d", dim0, dim1, x->rank);
    int32_t perm[VT_MAX_RANK];
    for (int32_t d = 0; d < x->rank; ++d) perm[d] = d;
    perm[dim0] = dim1;
    perm[dim1] = dim0;
    return vt_permute(x, perm, y);
}

vt_status vt_pad(const vt_tensor* x, const int64_t* pad_before, const int64_t* pad_after, float value,
                 const vt_tensor* y) {
    vt_f32_view xv;
    const vt_tensor* xs;
    vt_output o;
    VT_TRY(vt_begin(x, y, "pad", &xv, &xs, &o));
    vt_status st = VT_STATUS_OK;
    if (!pad_before || !pad_after || x->rank != y->rank) st = vt_fail(VT_STATUS_INVALID_ARGUMENT, "pad: pads and equal ranks are required");
    vt_tensor inner = o.t;
    int64_t off = 0;
    for (int32_t d = 0; st == VT_STATUS_OK && d < x->rank; ++d) {
        if (pad_before[d] < 0 || pad_after[d] < 0 || x->shape[d] + pad_before[d] + pad_after[d] != y->shape[d])
            st = vt_fail(VT_STATUS_INVALID_ARGUMENT, "pad: dim %d: %lld + %lld + %lld != %lld", d, (long long)pad_before[d],
                         (long long)x->shape[d], (long long)pad_after[d], (long long)y->shape[d]);
        off += pad_before[d] * o.t.strides[d];
        inner.shape[d] = x->shape[d];
    }
    if (st == VT_STATUS_OK) {
        vt_fill(&o.t, value);
        inner.data = (char*)o.t.data + off * vt_dtype_size(o.t.dtype);
        vt_copy_view(xs, &inner);
    }
    return vt_end(st, &xv, &o);
}

vt_status vt_concat(const vt_tensor* const* inputs, int32_t count, int32_t dim, const vt_tensor* y) {
    vt_clear_error();
    VT_TRY(vt_require_init());
    VT_TRY(vt_check_tensor(y, "concat output"));
    if (!inputs || count < 1) return vt_fail(VT_STATUS_INVALID_ARGUMENT, "concat: no inputs");
    if (dim < 0) dim += y->rank;
    if (dim < 0 || dim >= y->rank) return vt_fail(VT_STATUS_INVALID_ARGUMENT, "concat: dim out of range");
    int64_t total = 0;
    for (int32_t i = 0; i < count; ++i) {
        VT_TRY(vt_check_tensor(inputs[i], "concat input"));
        if (inputs[i]->rank != y->rank) return vt_fail(VT_STATUS_INVALID_ARGUMENT, "concat: input %d has another rank", i);
        for (int32_t d = 0; d < y->rank; ++d)
            if (d != dim && inputs[i]->shape[d] != y->shape[d])
                return vt_fail(VT_STATUS_INVALID_ARGUMENT, "concat: input %d differs from the output in dim %d", i, d);
        total += inputs[i]->shape[dim];
    }
    if (total != y->shape[dim])
        return vt_fail(VT_STATUS_INVALID_ARGUMENT, "concat: inputs add up to %lld along dim %d, the output has %lld",
                       (long long)total, dim, (long long)y->shape[dim]);
    vt_output o;
    VT_TRY(vt_output_begin(y, &o));
    vt_status st = VT_STATUS_OK;
    int64_t at = 0;
    for (int32_t i = 0; st == VT_STATUS_OK && i < count; ++i) {
        vt_f32_view v;
        const vt_tensor* xs;
        st = vt_source(inputs[i], &v, &xs);
        if (st != VT_STATUS_OK) break;
        vt_tensor part = o.t;
        part.shape[dim] = inputs[i]->shape[dim];
        part.data = (char*)o.t.data + at * o.t.strides[dim] * vt_dtype_size(o.t.dtype);
        vt_copy_view(xs, &part);
        at += inputs[i]->shape[dim];
        vt_view_release(&v);
    }
    if (st == VT_STATUS_OK)
        st = vt_output_commit(&o);
    else
        free(o.owned);
    return st;
}

vt_status vt_embedding(const vt_tensor* ids, const vt_tensor* table, const vt_tensor* y) {
    vt_f32_view tv;
    const vt_tensor* ts;
    vt_output o;
    VT_TRY(vt_check_tensor(ids, "embedding ids"));
    VT_TRY(vt_begin(table, y, "embedding", &tv, &ts, &o));
    vt_status st = VT_STATUS_OK;
    if (table->rank != 2 || y->rank != ids->rank + 1 || y->shape[y->rank - 1] != table->shape[1])
        st = vt_fail(VT_STATUS_INVALID_ARGUMENT, "embedding: table must be [V, D] and the output [..ids.., D]");
    for (int32_t d = 0; st == VT_STATUS_OK && d < ids->rank; ++d)
        if (ids->shape[d] != y->shape[d]) st = vt_fail(VT_STATUS_INVALID_ARGUMENT, "embedding: output dim %d differs from ids", d);
    vt_f32_view iv = {{0}, NULL};
    const vt_tensor* is = ids;
    if (st == VT_STATUS_OK && ids->layout == VT_LAYOUT_TILE) {
        st = vt_view_f32(ids, &iv);
        is = &iv.t;
    }
    const int64_t n = vt_numel(ids), V = table->shape[0];
    for (int64_t i = 0; st == VT_STATUS_OK && i < n; ++i) {
        int64_t off = 0, yoff = 0, rem = i;
        for (int32_t d = ids->rank - 1; d >= 0; --d) {
            const int64_t idx = rem % ids->shape[d];
            rem /= ids->shape[d];
            off += idx * is->strides[d];
            yoff += idx * o.t.strides[d];
        }
        int64_t id = is->dtype == VT_DTYPE_U32 ? (int64_t)((const uint32_t*)is->data)[off]
                                               : (int64_t)vt_load_elem(is->data, is->dtype, off);
        if (id < 0 || id >= V) {
            st = vt_fail(VT_STATUS_INVALID_ARGUMENT, "embedding: id %lld outside the table of %lld rows", (long long)id, (long long)V);
            break;
        }
        vt_tensor src = *ts, dst = o.t;
        src.rank = 1;
        src.shape[0] = table->shape[1];
        src.strides[0] = ts->strides[1];
        src.data = (char*)ts->data + id * ts->strides[0] * vt_dtype_size(ts->dtype);
        dst.rank = 1;
        dst.shape[0] = table->shape[1];
        dst.strides[0] = o.t.strides[o.t.rank - 1];
        dst.data = (char*)o.t.data + yoff * vt_dtype_size(o.t.dtype);
        vt_copy_view(&src, &dst);
    }
    vt_view_release(&iv);
    return vt_end(st, &tv, &o);
}

vt_status vt_reshape(const vt_tensor* x, const vt_tensor* y) {
    vt_f32_view xv;
    const vt_tensor* xs;
    vt_output o;
    VT_TRY(vt_begin(x, y, "reshape", &xv, &xs, &o));
    vt_status st = VT_STATUS_OK;
    const int64_t n = vt_numel(x);
    if (n != vt_numel(y)) st = vt_fail(VT_STATUS_INVALID_ARGUMENT, "reshape: %lld elements into %lld", (long long)n, (long long)vt_numel(y));
    void* tmp = NULL;
    const vt_tensor* src = xs;
    vt_tensor dense;
    if (st == VT_STATUS_OK && !vt_is_dense(xs)) { /* strided source: make it dense first */
        dense = *xs;
        tmp = vt_malloc((size_t)n * (size_t)vt_dtype_size(xs->dtype));
        if (!tmp) {
            st = vt_oom((size_t)n * 4);
        } else {
            dense.data = tmp;
            vt_dense_strides(&dense);
            vt_copy_view(xs, &dense);
            src = &dense;
        }
    }
    if (st == VT_STATUS_OK && n > 0) {
        /* both as flat row-major vectors; the destination may itself be a strided view */
        vt_tensor a = *src;
        a.rank = 1;
        a.shape[0] = n;
        a.strides[0] = 1;
        if (vt_is_dense(&o.t)) {
            vt_tensor b = o.t;
            b.rank = 1;
            b.shape[0] = n;
            b.strides[0] = 1;
            vt_copy_view(&a, &b);
        } else {
            vt_tensor shaped = a;
            shaped.rank = o.t.rank;
            for (int32_t d = 0; d < o.t.rank; ++d) shaped.shape[d] = o.t.shape[d];
            vt_dense_strides(&shaped);
            vt_copy_view(&shaped, &o.t);
        }
    }
    free(tmp);
    return vt_end(st, &xv, &o);
}
