/* Internal declarations shared by the kernel families (not part of the ABI). */
#ifndef VT_INTERNAL_H
#define VT_INTERNAL_H

#include "voxtile_kernels.h"

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define VT_HIDDEN __attribute__((visibility("hidden")))
#define VT_LIKELY(x) __builtin_expect(!!(x), 1)
#define VT_UNLIKELY(x) __builtin_expect(!!(x), 0)

/* ---- errors ---- */
VT_HIDDEN vt_status vt_fail(vt_status status, const char* fmt, ...) __attribute__((format(printf, 2, 3)));
VT_HIDDEN void vt_clear_error(void);
#define VT_TRY(expr)                                                                                                  \
    do {                                                                                                              \
        vt_status vt_try_status_ = (expr);                                                                            \
        if (vt_try_status_ != VT_STATUS_OK) return vt_try_status_;                                                    \
    } while (0)
VT_HIDDEN vt_status vt_require_init(void);

/* ---- memory ---- */
VT_HIDDEN void* vt_malloc(size_t bytes); /* 64-byte aligned, NULL on failure (caller reports) */
VT_HIDDEN void* vt_calloc(size_t bytes);
VT_HIDDEN vt_status vt_oom(size_t bytes);

/* ---- bf16 ---- */
static inline uint16_t vt_f32_to_bf16_bits(float f) {
    uint32_t u;
    memcpy(&u, &f, 4);
    if ((u & 0x7fffffffu) > 0x7f800000u) return 0x7fc0; /* NaN: the canonical quiet NaN, as tt-metal */
    u += 0x7fffu + ((u >> 16) & 1u);
    return (uint16_t)(u >> 16);
}
static inline float vt_bf16_bits_to_f32(uint16_t h) {
    uint32_t u = (uint32_t)h << 16;
    float f;
    memcpy(&f, &u, 4);
    return f;
}
static inline float vt_round_bf16(float f) { return vt_bf16_bits_to_f32(vt_f32_to_bf16_bits(f)); }

/* ---- thread pool ---- */
typedef void (*vt_task_fn)(void* ctx, int64_t index, int32_t thread);
/* Runs fn(ctx, i, thread) for i in [0, count) on the pool (the caller takes part); returns when all are done.
   Indices are handed out dynamically. A call from inside a task runs serially. */
VT_HIDDEN void vt_parallel_for(int64_t count, vt_task_fn fn, void* ctx);
/* the same, for a job whose per-thread scratch holds `threads` slices: a pool resized since by another caller's
   vt_init never hands it a larger thread index */
VT_HIDDEN void vt_parallel_for_sized(int64_t count, vt_task_fn fn, void* ctx, int32_t threads);
VT_HIDDEN int32_t vt_pool_threads(void);
VT_HIDDEN vt_status vt_pool_start(int32_t threads); /* threads - 1 workers; the caller is the other */
VT_HIDDEN void vt_pool_stop(void);

/* ---- ISA dispatch ---- */
/* One tile of the implicit GEMM behind conv1d/conv2d/matmul:
   out[m, n] = act(sum_{t < taps, c < cin} A[m * a_row + t * a_tap + c] * B_n[t, c] + bias[n]) + res[m, n]
   for m < mr, n < n_valid; B is packed in blocks of 16 output channels (nv blocks, b_nv apart). */
typedef struct vt_gemm_tile {
    const void* a;
    int64_t a_row;
    int64_t a_tap;
    int32_t taps;
    int32_t cin; /* even */
    const void* b;
    int64_t b_nv;
    int32_t mr;
    int32_t nv;
    int32_t n_valid;
    int32_t act; /* NONE, RELU or LEAKY_RELU (others go through an fp32 scratch) */
    float slope;
    const float* bias; /* NULL or nv*16 values */
    const void* res;   /* NULL, or f32/bf16 rows res_ld apart */
    vt_dtype res_dtype;
    int64_t res_ld;
    void* out; /* f32/bf16 rows out_ld apart */
    vt_dtype out_dtype;
    int64_t out_ld;
    /* 1: the accumulators go to f32 rows as they are (no bias, activation or residual; n_valid = nv * 16), what
       Winograd's products are; the same values the general epilogue would store, without its per-element checks,
       which cost 10-20 % of a tile at 32-64 input channels */
    int32_t plain;
} vt_gemm_tile;

typedef enum vt_panel_format {
    VT_PANEL_F32 = 0,  /* A: f32 rows; B: [nv][tap][cin][16] f32 */
    VT_PANEL_BF16 = 1, /* A: bf16 rows; B: [nv][tap][cin/2][16][2] bf16 (vdpbf16ps pairs) */
} vt_panel_format;

typedef struct vt_gemm_kernel {
    void (*tile)(const vt_gemm_tile* t);
    vt_panel_format format;
    int32_t nv_max;
    int32_t mr_max[5]; /* by nv (1..nv_max) */
} vt_gemm_kernel;

/* one Winograd transform (B^T, or A^T) as rows of nonzero terms: output row o is the sum over e < nnz[o] of
   coef[o][e] * (input row term[o][e]), terms in ascending order, zero coefficients left out */
enum { VT_WINO_ROWS_MAX = 12 };
typedef struct vt_wino_rows {
    int32_t nnz[VT_WINO_ROWS_MAX];
    int32_t term[VT_WINO_ROWS_MAX][VT_WINO_ROWS_MAX];
    float coef[VT_WINO_ROWS_MAX][VT_WINO_ROWS_MAX];
} vt_wino_rows;

typedef struct vt_kernel_table {
    vt_isa isa;
    vt_gemm_kernel gemm_f32;  /* f32 math */
    vt_gemm_kernel gemm_bf16; /* bf16 math */
    /* element-wise inner loops over contiguous f32 spans (the other dtypes are converted in chunks) */
    void (*unary_f32)(vt_unary_op op, float param, const float* x, float* y, int64_t n);
    void (*f32_to_bf16)(const float* src, uint16_t* dst, int64_t n);
    void (*bf16_to_f32)(const uint16_t* src, float* dst, int64_t n);
    void (*stage_row)(const void* src, vt_dtype sdt, int64_t stride, int64_t n, vt_activation act, float slope,
                      int32_t round_bf16, void* dst, vt_panel_format fmt, int64_t pad);
    void (*act_f32)(vt_activation act, float slope, const float* x, float* y, int64_t n);
    void (*gate_f32)(const float* t, const float* g, float* y, int64_t n);
    void (*wino_transform_f32)(const vt_wino_rows* t, int32_t rows, const float* src, int64_t src_step,
                               const float* add, int64_t add_step, float* y, int64_t y_step, int64_t n);
} vt_kernel_table;

VT_HIDDEN const vt_kernel_table* vt_kernels(void);

/* the variants (same signatures) */
VT_HIDDEN void vt_gemm_tile_portable(const vt_gemm_tile* t);
VT_HIDDEN void vt_gemm_tile_avx2(const vt_gemm_tile* t);
VT_HIDDEN void vt_gemm_tile_avx512(const vt_gemm_tile* t);
VT_HIDDEN void vt_gemm_tile_avx512bf16(const vt_gemm_tile* t);
VT_HIDDEN void vt_unary_f32_portable(vt_unary_op op, float param, const float* x, float* y, int64_t n);
VT_HIDDEN void vt_unary_f32_avx2(vt_unary_op op, float param, const float* x, float* y, int64_t n);
VT_HIDDEN void vt_unary_f32_avx512(vt_unary_op op, float param, const float* x, float* y, int64_t n);
VT_HIDDEN void vt_f32_to_bf16_portable(const float* src, uint16_t* dst, int64_t n);
VT_HIDDEN void vt_f32_to_bf16_avx2(const float* src, uint16_t* dst, int64_t n);
VT_HIDDEN void vt_f32_to_bf16_avx512(const float* src, uint16_t* dst, int64_t n);
VT_HIDDEN void vt_bf16_to_f32_portable(const uint16_t* src, float* dst, int64_t n);
VT_HIDDEN void vt_bf16_to_f32_avx2(const uint16_t* src, float* dst, int64_t n);
VT_HIDDEN void vt_bf16_to_f32_avx512(const uint16_t* src, float* dst, int64_t n);
#define VT_STAGE_ROW_DECL(v)                                                                                          \
    VT_HIDDEN void vt_stage_row_##v(const void* src, vt_dtype sdt, int64_t stride, int64_t n, vt_activation act,     \
                                    float slope, int32_t round_bf16, void* dst, vt_panel_format fmt, int64_t pad)
#define VT_EPILOGUE_DECL(v)                                                                                           \
    VT_HIDDEN void vt_act_f32_##v(vt_activation act, float slope, const float* x, float* y, int64_t n);                \
    VT_HIDDEN void vt_gate_f32_##v(const float* t, const float* g, float* y, int64_t n);                            \
    VT_HIDDEN void vt_wino_transform_f32_##v(const vt_wino_rows* t, int32_t rows, const float* src,                  \
                                             int64_t src_step, const float* add, int64_t add_step, float* y,          \
                                             int64_t y_step, int64_t n)
VT_EPILOGUE_DECL(portable);
VT_EPILOGUE_DECL(avx2);
VT_EPILOGUE_DECL(avx512);
VT_STAGE_ROW_DECL(portable);
VT_STAGE_ROW_DECL(avx2);
VT_STAGE_ROW_DECL(avx512);

/* scalar activation used by epilogues and by the portable paths */
VT_HIDDEN float vt_activate(vt_activation act, float slope, float x);
VT_HIDDEN float vt_unary_scalar(vt_unary_op op, float param, float x);

/* ---- tensors ---- */
VT_HIDDEN int64_t vt_numel(const vt_tensor* t);
VT_HIDDEN int32_t vt_dtype_size(vt_dtype d); /* bytes per element for row-major dtypes, 0 for block floats */
VT_HIDDEN const char* vt_dtype_name(vt_dtype d);
/* validates the descriptor (rank, dtype/layout combination, non-null data) */
VT_HIDDEN vt_status vt_check_tensor(const vt_tensor* t, const char* what);
VT_HIDDEN int vt_same_shape(const vt_tensor* a, const vt_tensor* b);
VT_HIDDEN void vt_shape_string(const vt_tensor* t, char* buf, size_t n);
/* row-major tensor with packed strides? */
VT_HIDDEN int vt_is_dense(const vt_tensor* t);
/* fills dense row-major strides */
VT_HIDDEN void vt_dense_strides(vt_tensor* t);
/* f32 <-> any row-major element */
static inline float vt_load_elem(const void* base, vt_dtype d, int64_t off) {
    switch (d) {
    case VT_DTYPE_F32: return ((const float*)base)[off];
    case VT_DTYPE_BF16: return vt_bf16_bits_to_f32(((const uint16_t*)base)[off]);
    case VT_DTYPE_U32: return (float)((const uint32_t*)base)[off];
    default: return 0.0f;
    }
}
static inline void vt_store_elem(void* base, vt_dtype d, int64_t off, float v) {
    switch (d) {
    case VT_DTYPE_F32: ((float*)base)[off] = v; break;
    case VT_DTYPE_BF16: ((uint16_t*)base)[off] = vt_f32_to_bf16_bits(v); break;
    case VT_DTYPE_U32: {
        /* saturating, like a typecast to uint32 on device; NaN -> 0 */
        float r = v != v ? 0.0f : v;
        ((uint32_t*)base)[off] = r <= 0.0f ? 0u : r >= 4294967295.0f ? 0xffffffffu : (uint32_t)r;
        break;
    }
    default: break;
    }
}

/* A row-major f32 view of any tensor: the tensor itself when it already is f32 row-major, otherwise a dense
   converted copy (owned, free with vt_view_release). */
typedef struct vt_f32_view {
    vt_tensor t;
    void* owned;
} vt_f32_view;
VT_HIDDEN vt_status vt_view_f32(const vt_tensor* src, vt_f32_view* view);
VT_HIDDEN void vt_view_release(vt_f32_view* view);
/* Output staging: when y is tiled/block float, a dense f32 tensor to write into, then vt_output_commit packs it. */
typedef struct vt_output {
    vt_tensor t; /* what kernels write (row-major f32/bf16/u32) */
    const vt_tensor* target;
    void* owned;
} vt_output;
VT_HIDDEN vt_status vt_output_begin(const vt_tensor* y, vt_output* o);
VT_HIDDEN vt_status vt_output_commit(vt_output* o);

VT_HIDDEN void vt_copy_view(const vt_tensor* x, const vt_tensor* y);
/* pack/unpack of one matrix set (used by typecast and the views) */
VT_HIDDEN vt_status vt_pack_tiles_impl(const float* src, int64_t batch, int64_t rows, int64_t cols, vt_dtype dtype,
                                       void* dst);
VT_HIDDEN vt_status vt_unpack_tiles_impl(const void* src, vt_dtype dtype, int64_t batch, int64_t rows, int64_t cols,
                                         float* dst);
VT_HIDDEN int64_t vt_tile_bytes(vt_dtype d);

/* ---- the GEMM engine shared by conv1d, conv2d and matmul ---- */
struct vt_weights {
    int32_t cout, cin_g, groups, kh, kw, taps;
    int32_t cout_g, nv_g, cin_pad;
    vt_dtype math;
    float* packed_f32;     /* [g][nv][taps][cin_pad][16] */
    uint16_t* packed_bf16; /* [g][nv][taps][cin_pad/2][16][2] */
    int32_t owns;
    void* lock; /* pthread_mutex_t*, for the lazily made second format */
    /* transposed convolutions: one panel set per output phase (stride of them) */
    int32_t transposed, stride, dilation, padding, cin_total;
    struct vt_weights* phases;
    int32_t* phase_first_offset; /* input offset of tap 0 for output row 0 of the phase */
    int32_t tap_step;            /* input rows between taps */
    /* Winograd F(m, K) transformed weights, made on the first conv that asks for each m (vt_winograd.h) */
    struct vt_winograd* winograd;
};
VT_HIDDEN vt_status vt_weights_init(struct vt_weights* w, const float* dense, int32_t cout, int32_t cin_g,
                                    int32_t groups, int32_t kh, int32_t kw, vt_dtype math);
VT_HIDDEN void vt_weights_release(struct vt_weights* w);
VT_HIDDEN vt_status vt_weights_panels(const struct vt_weights* w, vt_panel_format f, const void** panels);

/* One implicit-GEMM problem over staged rows. */
typedef struct vt_gemm_problem {
    const struct vt_weights* w;
    const vt_gemm_kernel* kernel;
    int32_t batch;
    const void* a;            /* staged input, panel format element type */
    int64_t a_batch;          /* elements between batches */
    int64_t a_row;            /* between output rows */
    int64_t a_tap;            /* between taps */
    int64_t a_group;          /* between groups */
    int64_t rows;             /* output rows per batch */
    const float* bias;        /* [groups][nv_g*16] padded, or NULL */
    int64_t bias_batch;       /* floats between batches' biases; 0: one bias for every batch */
    vt_activation act;
    float slope;
    const vt_tensor* residual; /* [batch, rows, C] view, row-major f32/bf16, or NULL */
    const vt_tensor* out;      /* [batch, rows, C] view, row-major f32/bf16 */
    /* Optional: stage the input per work item instead of reading `a` (the rows then stay in cache between staging
       and use, and no staged copy of the whole input is written). Output row m, tap t reads input row
       m * stage_row_step + t * stage_tap_step - stage_pad_left (zero outside [0, L)). */
    const vt_tensor* stage_src; /* [N, L, groups * cin_g] row-major f32/bf16, or NULL */
    int64_t stage_row_step, stage_tap_step, stage_pad_left;
    vt_activation stage_act;
    float stage_slope;
    const float* stage_mask; /* stage_src mode: [N][L] multipliers of the staged rows (after stage_act), or NULL */
} vt_gemm_problem;
VT_HIDDEN vt_status vt_gemm_run(const vt_gemm_problem* p);
/* The direct path's per-item pieces that Winograd shares: staging input rows i0 .. i0 + count - 1 (padded
   coordinates) of batch b in the kernel's format, and the epilogue (activation or gate, residual, store) over output
   rows r0 .. r1 - 1 of batch b held as fp32 rows `ld` apart (bias already added). */
VT_HIDDEN void vt_gemm_stage(const vt_gemm_problem* p, int64_t b, int64_t i0, int64_t count, void* dst);
VT_HIDDEN void vt_gemm_epilogue(const vt_gemm_problem* p, const float* rows, int64_t ld, int64_t b, int64_t r0,
                                int64_t r1);
/* stages x [N, L, groups * cin_g] into rows of groups * cin_pad GEMM elements with pad_l/pad_r zero rows */
VT_HIDDEN vt_status vt_stage_input(const vt_tensor* x, int32_t groups, int32_t cin_g, int32_t cin_pad, int64_t pad_l,
                                   int64_t pad_r, vt_activation act, float slope, int32_t round_bf16,
                                   vt_panel_format fmt, void** staged);
VT_HIDDEN vt_status vt_padded_bias(const vt_tensor* bias, const struct vt_weights* w, float** out);
/* a dense f32 copy of a row mask's values (NULL when mask is NULL); it must hold exactly `rows` values */
VT_HIDDEN vt_status vt_row_mask(const vt_tensor* mask, int64_t rows, const char* what, float** out);
/* multiplies each row of y [N, L, C] (row-major f32/bf16, unit channel stride) by mask[n * L + l], rounding to y's dtype */
VT_HIDDEN void vt_mask_rows(const vt_tensor* y, const float* mask);
VT_HIDDEN int vt_gemm_ready(const vt_tensor* t);

#endif
