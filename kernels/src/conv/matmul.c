/* matmul / linear: b is packed into GEMM panels per call (per batch when b has batch dims), a is staged as rows. */
#include "vt_internal.h"

#include <stdlib.h>

typedef struct vt_rows_job {
    const float* a;
    int64_t sm, sk, K, row_elems;
    int32_t round_bf16;
    vt_panel_format fmt;
    void* dst;
} vt_rows_job;

static void vt_rows_task(void* ctx, int64_t m, int32_t thread) {
    (void)thread;
    const vt_rows_job* j = ctx;
    const int32_t es = j->fmt == VT_PANEL_BF16 ? 2 : 4;
    vt_kernels()->stage_row(j->a + m * j->sm, VT_DTYPE_F32, j->sk, j->K, VT_ACTIVATION_NONE, 0.0f, j->round_bf16,
                            (char*)j->dst + m * j->row_elems * es, j->fmt, j->row_elems - j->K);
}

/* offset of batch index `bi` (of the output's batch dims) in a broadcast operand */
static int64_t vt_batch_offset(const vt_tensor* t, const vt_tensor* y, int64_t bi) {
    const int32_t yb = y->rank - 2, tb = t->rank - 2;
    int64_t off = 0;
    for (int32_t d = yb - 1; d >= 0; --d) {
        const int64_t idx = bi % y->shape[d];
        bi /= y->shape[d];
        const int32_t td = d - (yb - tb);
        if (td >= 0 && t->shape[td] != 1) off += idx * t->strides[td];
    }
    return off;
}

vt_status vt_matmul(const vt_tensor* a, const vt_tensor* b, const vt_tensor* bias, const vt_matmul_params* params,
                    const vt_tensor* output) {
    vt_clear_error();
    VT_TRY(vt_require_init());
    VT_TRY(vt_check_tensor(a, "matmul a"));
    VT_TRY(vt_check_tensor(b, "matmul b"));
    VT_TRY(vt_check_tensor(output, "matmul output"));
    vt_matmul_params none = {0, 0, VT_ACTIVATION_NONE, 0.0f};
    const vt_matmul_params* p = params ? params : &none;
    if (a->rank < 2 || b->rank < 2 || output->rank < 2)
        return vt_fail(VT_STATUS_INVALID_ARGUMENT, "matmul: operands need rank >= 2");
    if ((unsigned)p->activation > VT_ACTIVATION_SIGMOID)
        return vt_fail(VT_STATUS_INVALID_ARGUMENT, "matmul: activation %d is not supported", (int)p->activation);
    const int64_t M = a->shape[a->rank - (p->transpose_a ? 1 : 2)], K = a->shape[a->rank - (p->transpose_a ? 2 : 1)];
    const int64_t Kb = b->shape[b->rank - (p->transpose_b ? 1 : 2)], N = b->shape[b->rank - (p->transpose_b ? 2 : 1)];
    if (K != Kb) return vt_fail(VT_STATUS_INVALID_ARGUMENT, "matmul: inner dims differ (%lld vs %lld)", (long long)K, (long long)Kb);
    if (output->shape[output->rank - 2] != M || output->shape[output->rank - 1] != N)
        return vt_fail(VT_STATUS_INVALID_ARGUMENT, "matmul: output must end in [%lld, %lld]", (long long)M, (long long)N);
    if (K > (1 << 24) || N > (1 << 24)) return vt_fail(VT_STATUS_UNSUPPORTED, "matmul: inner dims too large");
    /* batch dims broadcast to the output's */
    const int32_t yb = output->rank - 2;
    int64_t batches = 1;
    for (int32_t d = 0; d < yb; ++d) {
        batches *= output->shape[d];
        for (int32_t s = 0; s < 2; ++s) {
            const vt_tensor* t = s ? b : a;
            const int32_t td = d - (yb - (t->rank - 2));
            if (td >= 0 && t->shape[td] != 1 && t->shape[td] != output->shape[d])
                return vt_fail(VT_STATUS_INVALID_ARGUMENT, "matmul: batch dim %d of %s does not broadcast", d, s ? "b" : "a");
        }
        if (d < yb - (a->rank - 2) && d < yb - (b->rank - 2) && output->shape[d] != 1) {
            /* a batch dim neither operand has is fine only when it is 1 */
            return vt_fail(VT_STATUS_INVALID_ARGUMENT, "matmul: output batch dim %d has no operand", d);
        }
    }
    if (output->dtype == VT_DTYPE_U32) return vt_fail(VT_STATUS_UNSUPPORTED, "matmul: u32 output");
    if (vt_numel(output) == 0) return VT_STATUS_OK;
    if (K == 0) {
        /* an empty sum: bias (or 0) through the activation */
        return vt_fail(VT_STATUS_UNSUPPORTED, "matmul: empty inner dimension");
    }

    const vt_dtype math = a->dtype == VT_DTYPE_F32 && b->dtype == VT_DTYPE_F32 ? VT_DTYPE_F32 : VT_DTYPE_BF16;
    const vt_kernel_table* kt = vt_kernels();
    const vt_gemm_kernel* k = math == VT_DTYPE_BF16 ? &kt->gemm_bf16 : &kt->gemm_f32;
    const int32_t es = k->format == VT_PANEL_BF16 ? 2 : 4;
    const int64_t row_elems = (K + 1) & ~1LL;
    vt_f32_view av = {0}, bv = {0};
    vt_output o;
    float* bt = NULL;
    float* bias_p = NULL;
    void* staged = NULL;
    vt_status st = vt_view_f32(a, &av);
    if (st == VT_STATUS_OK) st = vt_view_f32(b, &bv);
    if (st == VT_STATUS_OK) st = vt_output_begin(output, &o);
    else o.owned = NULL;
    if (st == VT_STATUS_OK && bias) {
        vt_f32_view v;
        if ((st = vt_check_tensor(bias, "matmul bias")) == VT_STATUS_OK && vt_numel(bias) != N)
            st = vt_fail(VT_STATUS_INVALID_ARGUMENT, "matmul: bias has %lld values for %lld columns",
                         (long long)vt_numel(bias), (long long)N);
        if (st == VT_STATUS_OK && (st = vt_view_f32(bias, &v)) == VT_STATUS_OK) {
            bias_p = vt_calloc((size_t)((N + 15) / 16 * 16) * 4);
            if (!bias_p) {
                st = vt_oom((size_t)N * 4);
            } else {
                vt_tensor d = v.t;
                d.data = bias_p;
                vt_dense_strides(&d);
                vt_copy_view(&v.t, &d);
            }
            vt_view_release(&v);
        }
    }
    if (st == VT_STATUS_OK) {
        bt = vt_malloc((size_t)(N * K) * 4);
        staged = vt_malloc((size_t)(M * row_elems) * (size_t)es);
        if (!bt || !staged) st = vt_oom((size_t)(N * K) * 4);
    }
    /* the output may be strided or u32/tiled (o.t is row-major f32/bf16 then); the tiles need unit column stride */
    float* dense_out = NULL;
    vt_tensor y = o.t;
    if (st == VT_STATUS_OK && (y.strides[y.rank - 1] != 1 || y.dtype == VT_DTYPE_U32)) {
        dense_out = vt_malloc((size_t)vt_numel(&y) * 4);
        if (!dense_out) st = vt_oom((size_t)vt_numel(&y) * 4);
        y.data = dense_out;
        y.dtype = VT_DTYPE_F32;
        vt_dense_strides(&y);
    }
    const vt_tensor* at = &av.t;
    const vt_tensor* btn = &bv.t;
    const int64_t asm_ = at->strides[at->rank - (p->transpose_a ? 1 : 2)], ask = at->strides[at->rank - (p->transpose_a ? 2 : 1)];
    const int64_t bsk = btn->strides[btn->rank - (p->transpose_b ? 1 : 2)], bsn = btn->strides[btn->rank - (p->transpose_b ? 2 : 1)];
    int64_t last_b = -1;
    struct vt_weights w;
    memset(&w, 0, sizeof w);
    for (int64_t bi = 0; st == VT_STATUS_OK && bi < batches; ++bi) {
        const int64_t boff = vt_batch_offset(btn, output, bi);
        if (boff != last_b) {
            const float* bp = (const float*)btn->data + boff;
            for (int64_t n = 0; n < N; ++n)
                for (int64_t kk = 0; kk < K; ++kk) bt[n * K + kk] = bp[kk * bsk + n * bsn];
            vt_weights_release(&w);
            st = vt_weights_init(&w, bt, (int32_t)N, (int32_t)K, 1, 1, 1, math);
            if (st != VT_STATUS_OK) break;
            last_b = boff;
        }
        vt_rows_job rj = {(const float*)at->data + vt_batch_offset(at, output, bi), asm_, ask, K, row_elems,
                          math == VT_DTYPE_BF16, k->format, staged};
        vt_parallel_for(M, vt_rows_task, &rj);
        /* this batch of the output as [1, M, N] */
        int64_t yoff = 0, rem = bi;
        for (int32_t d = yb - 1; d >= 0; --d) {
            yoff += (rem % y.shape[d]) * y.strides[d];
            rem /= y.shape[d];
        }
        vt_tensor y3 = {0};
        y3.data = (char*)y.data + yoff * vt_dtype_size(y.dtype);
        y3.rank = 3;
        y3.shape[0] = 1;
        y3.shape[1] = M;
        y3.shape[2] = N;
        y3.strides[0] = M * y.strides[y.rank - 2];
        y3.strides[1] = y.strides[y.rank - 2];
        y3.strides[2] = 1;
        y3.dtype = y.dtype;
        vt_gemm_problem gp = {
            .w = &w,
            .kernel = k,
            .batch = 1,
            .a = staged,
            .a_batch = M * row_elems,
            .a_row = row_elems,
            .a_tap = 0,
            .a_group = 0,
            .rows = M,
            .bias = bias_p,
            .act = p->activation,
            .slope = p->slope,
            .residual = NULL,
            .out = &y3,
        };
        st = vt_gemm_run(&gp);
    }
    vt_weights_release(&w);
    if (st == VT_STATUS_OK && dense_out) vt_copy_view(&y, &o.t);
    if (st == VT_STATUS_OK)
        st = vt_output_commit(&o);
    else
        free(o.owned);
    free(dense_out);
    free(staged);
    free(bt);
    free(bias_p);
    vt_view_release(&bv);
    vt_view_release(&av);
    return st;
}
