/*
 * VoxTile native kernels: the one ABI header.
 *
 * CPU kernels with TTNN numerics for the device plans VoxTile runs: storage in f32, bf16, bfp8_b or bfp4_b
 * (block float, one shared exponent per 16 values = one face row, packed byte for byte as TTNN packs them),
 * products of bf16 operands accumulated in fp32, round to nearest even whenever a value is stored narrower.
 *
 * Conventions
 *  - Every function that can fail returns vt_status; on failure vt_last_error() holds a one-line message
 *    (thread-local, valid until the next failing call on that thread).
 *  - Tensors are described by vt_tensor: a data pointer, a shape and, for row-major tensors, strides in elements
 *    (any strides, including 0 for broadcast reads and negative ones). Tiled tensors (VT_LAYOUT_TILE) are dense:
 *    the last two dims are padded to multiples of 32, every 32x32 tile is 4 faces of 16x16 (face order: top-left,
 *    top-right, bottom-left, bottom-right; each face row-major), tiles in row-major order, leading dims outermost.
 *    bfp8_b / bfp4_b exist only tiled. A bfp tile is 64 shared-exponent bytes (one per face row, in face-row order)
 *    followed by the sign-magnitude mantissas (1024 bytes for bfp8_b, 512 for bfp4_b; value i of a face row in the
 *    low bits first). Tile sizes: f32/u32 4096 B, bf16 2048 B, bfp8_b 1088 B, bfp4_b 576 B.
 *  - Math follows the operand dtypes: a matmul or convolution multiplies in bf16 (inputs rounded to bf16) unless
 *    every operand it multiplies is f32, which is the fp32 debugging mode; element-wise ops compute in fp32 and round
 *    when they store. bfp8_b/bfp4_b values are exact in bf16, so weights stored as block floats lose nothing more.
 *  - vt_init() must be called once before any kernel; it starts the persistent thread pool and picks the fastest
 *    instruction set this CPU supports (vt_set_isa() forces another one, for tests and benchmarks).
 */
#ifndef VOXTILE_KERNELS_H
#define VOXTILE_KERNELS_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(VT_BUILDING_LIBRARY)
#define VT_API __attribute__((visibility("default")))
#else
#define VT_API
#endif

#define VT_ABI_VERSION 2
#define VT_MAX_RANK 6

typedef enum vt_status {
    VT_STATUS_OK = 0,
    VT_STATUS_INVALID_ARGUMENT = 1,
    VT_STATUS_UNSUPPORTED = 2,
    VT_STATUS_OUT_OF_MEMORY = 3,
    VT_STATUS_NOT_INITIALIZED = 4,
    VT_STATUS_INTERNAL = 5,
} vt_status;

typedef enum vt_dtype {
    VT_DTYPE_F32 = 0,
    VT_DTYPE_BF16 = 1,
    VT_DTYPE_BFP8_B = 2,
    VT_DTYPE_BFP4_B = 3,
    VT_DTYPE_U32 = 4,
} vt_dtype;

typedef enum vt_layout {
    VT_LAYOUT_ROW_MAJOR = 0,
    VT_LAYOUT_TILE = 1,
} vt_layout;

/* Instruction-set variants; every kernel has the same signature in each. */
typedef enum vt_isa {
    VT_ISA_PORTABLE = 0,
    VT_ISA_AVX2 = 1,        /* AVX2 + FMA */
    VT_ISA_AVX512 = 2,      /* AVX-512 F/BW/VL/DQ */
    VT_ISA_AVX512_BF16 = 3, /* AVX-512 + vdpbf16ps */
    VT_ISA_BEST = 99,       /* vt_set_isa only: the fastest one this CPU has */
} vt_isa;

typedef enum vt_activation {
    VT_ACTIVATION_NONE = 0,
    VT_ACTIVATION_RELU = 1,
    VT_ACTIVATION_LEAKY_RELU = 2, /* x < 0 ? slope * x : x */
    VT_ACTIVATION_TANH = 3,
    VT_ACTIVATION_SIGMOID = 4,
    /* WaveNet gate: the 2C computed channels are split in halves, out[c] = tanh(y[c]) * sigmoid(y[C + c]). */
    VT_ACTIVATION_GATED_TANH_SIGMOID = 5,
} vt_activation;

typedef enum vt_unary_op {
    VT_UNARY_OP_RELU = 0,
    VT_UNARY_OP_LEAKY_RELU = 1, /* param = slope */
    VT_UNARY_OP_TANH = 2,
    VT_UNARY_OP_SIGMOID = 3,
    VT_UNARY_OP_EXP = 4,
    VT_UNARY_OP_SQRT = 5,
    VT_UNARY_OP_GELU = 6, /* exact, with erf */
    VT_UNARY_OP_LOG = 7,
    VT_UNARY_OP_NEG = 8,
    VT_UNARY_OP_CEIL = 9,
    VT_UNARY_OP_RECIPROCAL = 10,
    VT_UNARY_OP_ABS = 11,
    VT_UNARY_OP_FLOOR = 12,
    VT_UNARY_OP_RSQRT = 13,
    VT_UNARY_OP_ERF = 14,
    VT_UNARY_OP_SILU = 15,
    VT_UNARY_OP_SOFTPLUS = 16, /* log(1 + exp(x)), linear above 20 as in TTNN's default threshold */
    VT_UNARY_OP_SQUARE = 17,
    VT_UNARY_OP_MUL_SCALAR = 18, /* param * x */
    VT_UNARY_OP_ADD_SCALAR = 19, /* x + param */
} vt_unary_op;

/* Binary element-wise ops; the comparisons (LT..NE) give 1 or 0 in the output dtype. */
typedef enum vt_binary_op {
    VT_BINARY_OP_ADD = 0,
    VT_BINARY_OP_SUB = 1,
    VT_BINARY_OP_MUL = 2,
    VT_BINARY_OP_DIV = 3,
    VT_BINARY_OP_MAXIMUM = 4,
    VT_BINARY_OP_MINIMUM = 5,
    VT_BINARY_OP_POW = 6,
    VT_BINARY_OP_LT = 7,
    VT_BINARY_OP_LE = 8,
    VT_BINARY_OP_GT = 9,
    VT_BINARY_OP_GE = 10,
    VT_BINARY_OP_EQ = 11,
    VT_BINARY_OP_NE = 12,
} vt_binary_op;

/* A tensor view. strides (elements) are read for VT_LAYOUT_ROW_MAJOR only; tiled tensors are dense. */
typedef struct vt_tensor {
    void* data;
    int64_t shape[VT_MAX_RANK];
    int64_t strides[VT_MAX_RANK];
    int32_t rank;
    vt_dtype dtype;
    vt_layout layout;
} vt_tensor;

/* Weights prepared once for vt_conv1d / vt_conv2d (reordered into the panels the GEMM kernels read). */
typedef struct vt_weights vt_weights;

/* How vt_conv1d computes. */
typedef enum vt_conv1d_algorithm {
    /* the implicit GEMM: every product of the (bf16-rounded) values exact, accumulated in fp32 as TTNN does */
    VT_CONV1D_ALGORITHM_DIRECT = 0,
    /* the faster of direct and Winograd F(m, K) for the shape on this ISA, m within the error bound
       (vt_conv1d_winograd_tile says which); for the CPU target, never for plans that check a Tenstorrent one */
    VT_CONV1D_ALGORITHM_FASTEST = 1,
    /* Winograd F(winograd_m, K) whenever the shape allows it (one group, stride 1, a supported K and m) */
    VT_CONV1D_ALGORITHM_WINOGRAD = 2,
} vt_conv1d_algorithm;

typedef struct vt_conv1d_params {
    int32_t stride;
    int32_t dilation;
    int32_t pad_left;
    int32_t pad_right;
    /* applied to the input as it is read (the pre-activation of a ResBlock), before zero padding */
    vt_activation input_activation;
    float input_slope;
    /* applied to conv + bias; the residual, if any, is added after it */
    vt_activation activation;
    float slope;
    /* Optional row multipliers (a frame mask, broadcast over the channels), NULL for none; any dtype and layout, with
       as many values as rows, in row-major order ([N, L], [N, L, 1], [1, 1, N * L, 1], ...). input_mask (N * L
       values) multiplies input row l after the input activation (a row of 0 reads as zeros, like the padding);
       output_mask (N * Lout values) multiplies each output row last, after the residual. A product is rounded to
       the GEMM's element format (input) or the output dtype, so 0/1 masks give exactly what separate multiplies
       would. */
    const vt_tensor* input_mask;
    const vt_tensor* output_mask;
    /* VT_CONV1D_ALGORITHM_DIRECT (0) unless set: Winograd's fp32 transforms round differently from TTNN's conv */
    vt_conv1d_algorithm algorithm;
    int32_t winograd_m; /* VT_CONV1D_ALGORITHM_WINOGRAD only: the outputs per tile */
} vt_conv1d_params;

typedef struct vt_conv2d_params {
    int32_t stride_h;
    int32_t stride_w;
    int32_t dilation_h;
    int32_t dilation_w;
    int32_t pad_top;
    int32_t pad_bottom;
    int32_t pad_left;
    int32_t pad_right;
    vt_activation activation;
    float slope;
} vt_conv2d_params;

typedef struct vt_matmul_params {
    int32_t transpose_a;
    int32_t transpose_b;
    vt_activation activation;
    float slope;
} vt_matmul_params;

/* conv_transpose1d (PyTorch ConvTranspose1d, ttnn.conv_transpose2d of height 1):
   Lout = (L - 1) * stride - 2 * padding + dilation * (K - 1) + output_padding + 1. */
typedef struct vt_conv_transpose1d_params {
    int32_t stride;
    int32_t dilation;
    int32_t padding;
    int32_t output_padding;
    vt_activation activation;
    float slope;
} vt_conv_transpose1d_params;

typedef enum vt_reduce_op {
    VT_REDUCE_OP_SUM = 0,
    VT_REDUCE_OP_MEAN = 1,
    VT_REDUCE_OP_MAX = 2,
    VT_REDUCE_OP_MIN = 3,
} vt_reduce_op;

typedef struct vt_weights_info {
    int32_t out_channels;
    int32_t in_channels_per_group;
    int32_t groups;
    int32_t kernel_h; /* 1 for conv1d weights */
    int32_t kernel_w; /* the conv1d kernel size */
    vt_dtype math;
} vt_weights_info;

/* ---- library ---------------------------------------------------------------------------------------------- */

/* The message of the last failure on this thread ("" when none). */
VT_API const char* vt_last_error(void);
VT_API int32_t vt_abi_version(void);
/* Starts the persistent pool with `threads` threads (<= 0: one per online core) and picks the best ISA.
   Calling it again resizes the pool. */
VT_API vt_status vt_init(int32_t threads);
VT_API vt_status vt_shutdown(void);
VT_API int32_t vt_thread_count(void);
/* Forces an instruction-set variant; VT_STATUS_UNSUPPORTED when this CPU lacks it. */
VT_API vt_status vt_set_isa(vt_isa isa);
VT_API vt_isa vt_get_isa(void);
VT_API int32_t vt_isa_supported(vt_isa isa);
VT_API const char* vt_isa_name(vt_isa isa);
/* The core clock in GHz as it runs now, measured on the calling thread (a chain of dependent integer adds, one cycle
   each), boost included; 0 where it cannot be measured (not x86-64). */
VT_API double vt_measure_clock_ghz(void);

/* 64-byte aligned memory for tensors. */
VT_API vt_status vt_alloc(int64_t bytes, void** out);
VT_API void vt_free(void* p);
/* Bytes a dense tensor of this dtype, layout and shape occupies (data and strides are ignored). */
VT_API vt_status vt_tensor_bytes(const vt_tensor* t, int64_t* bytes);

/* ---- numeric formats ---------------------------------------------------------------------------------------- */

/* fp32 -> bf16 with round to nearest even (NaN -> 0x7FC0) and back. */
VT_API vt_status vt_f32_to_bf16(const float* src, uint16_t* dst, int64_t count);
VT_API vt_status vt_bf16_to_f32(const uint16_t* src, float* dst, int64_t count);
/* Packs `batch` row-major fp32 matrices [rows, cols] into tiles of `dtype` (zero padding to tile multiples),
   and back. bfp8_b/bfp4_b follow tt-metal's pack_as_bfp_tiles (see kernels/src/pack/pack.c). */
VT_API vt_status vt_pack_tiles(const float* src, int64_t batch, int64_t rows, int64_t cols, vt_dtype dtype, void* dst);
VT_API vt_status vt_unpack_tiles(const void* src, vt_dtype dtype, int64_t batch, int64_t rows, int64_t cols, float* dst);
/* Any dtype/layout to any dtype/layout of the same shape (this is also ttnn.typecast and ttnn.to_layout). */
VT_API vt_status vt_typecast(const vt_tensor* x, const vt_tensor* y);

/* ---- convolution and matmul --------------------------------------------------------------------------------- */

/* weight: [Cout, Cin/groups, K] (conv1d) or [Cout, Cin/groups, KH, KW] (conv2d), any dtype/layout (a tiled
   weight is the 2-D matrix [Cout, Cin/groups * K...]). math: VT_DTYPE_BF16 (device) or VT_DTYPE_F32 (debug). */
VT_API vt_status vt_weights_create(const vt_tensor* weight, int32_t groups, vt_dtype math, vt_weights** out);
VT_API void vt_weights_destroy(vt_weights* w);
VT_API vt_status vt_weights_get_info(const vt_weights* w, vt_weights_info* info);

/* input [N, L, Cin] channels-last, bias [Cout] or NULL (or N x Cout values, one bias per batch item), residual like the output or NULL,
   output [N, Lout, Cout] (Cout/2 channels for the gated activation). */
VT_API vt_status vt_conv1d(const vt_tensor* input, const vt_weights* weights, const vt_tensor* bias,
                           const vt_tensor* residual, const vt_conv1d_params* params, const vt_tensor* output);
/* The Winograd tile m that VT_CONV1D_ALGORITHM_FASTEST picks for these weights and params (0: direct convolution). */
VT_API int32_t vt_conv1d_winograd_tile(const vt_weights* weights, const vt_conv1d_params* params);
/* K(m, r) of Winograd F(m, r) as vt_conv1d computes it (0 when not supported): with fp32 transforms and an fp32 sum
   over Cin channels, |error| of an output <= gamma(Cin + 2(m + r - 1) + 4) * K * sum over channels c of
   max_k |w[c][k]| * max_j |x[c][j]|, gamma(n) = n u / (1 - n u), u = 2^-24 (direct convolution: K = r). */
VT_API double vt_winograd_error_factor(int32_t m, int32_t r);
/* input [N, H, W, Cin], output [N, Hout, Wout, Cout]. */
VT_API vt_status vt_conv2d(const vt_tensor* input, const vt_weights* weights, const vt_tensor* bias,
                           const vt_tensor* residual, const vt_conv2d_params* params, const vt_tensor* output);
/* weight [Cin, Cout/groups, K] (PyTorch's transposed layout), split into one GEMM panel set per output phase
   (polyphase: no multiplications by inserted zeros); the call's stride, dilation and padding must match these. */
VT_API vt_status vt_conv_transpose_weights_create(const vt_tensor* weight, int32_t groups,
                                                  const vt_conv_transpose1d_params* geometry, vt_dtype math,
                                                  vt_weights** out);
/* input [N, L, Cin], output [N, Lout, Cout], bias [Cout] or NULL, residual like the output or NULL. */
VT_API vt_status vt_conv_transpose1d(const vt_tensor* input, const vt_weights* weights, const vt_tensor* bias,
                                     const vt_tensor* residual, const vt_conv_transpose1d_params* params,
                                     const vt_tensor* output);
/* a [..., M, K] x b [..., K, N] (+ bias [N]) with batch broadcasting; transposes swap the last two dims. */
VT_API vt_status vt_matmul(const vt_tensor* a, const vt_tensor* b, const vt_tensor* bias,
                           const vt_matmul_params* params, const vt_tensor* output);

/* ---- element-wise ------------------------------------------------------------------------------------------- */

VT_API vt_status vt_unary(vt_unary_op op, float param, const vt_tensor* x, const vt_tensor* y);
/* numpy broadcasting of a and b to y's shape */
VT_API vt_status vt_binary(vt_binary_op op, const vt_tensor* a, const vt_tensor* b, const vt_tensor* y);
/* y = cond != 0 ? a : b, broadcast */
VT_API vt_status vt_where(const vt_tensor* cond, const vt_tensor* a, const vt_tensor* b, const vt_tensor* y);

/* ---- reductions and normalization --------------------------------------------------------------------------- */

VT_API vt_status vt_cumsum(const vt_tensor* x, int32_t dim, int32_t reverse, const vt_tensor* y);
VT_API vt_status vt_softmax(const vt_tensor* x, int32_t dim, const vt_tensor* y);
/* reduces dim `dim` of x (fp32 accumulation); y has x's shape with that dim 1 (keepdim) or removed */
VT_API vt_status vt_reduce(vt_reduce_op op, const vt_tensor* x, int32_t dim, const vt_tensor* y);
/* over the last dim; gamma and beta [D] or NULL */
VT_API vt_status vt_layer_norm(const vt_tensor* x, const vt_tensor* gamma, const vt_tensor* beta, float epsilon,
                               const vt_tensor* y);

/* ---- data movement ------------------------------------------------------------------------------------------ */

/* ids [...] u32, table [V, D] -> y [..., D] */
VT_API vt_status vt_embedding(const vt_tensor* ids, const vt_tensor* table, const vt_tensor* y);
/* constant padding; pad_before/pad_after hold x.rank entries */
VT_API vt_status vt_pad(const vt_tensor* x, const int64_t* pad_before, const int64_t* pad_after, float value,
                        const vt_tensor* y);
VT_API vt_status vt_concat(const vt_tensor* const* inputs, int32_t count, int32_t dim, const vt_tensor* y);
/* y[i] = x[begins + i * steps] per dim, for y's shape; negative steps reverse (flip) */
VT_API vt_status vt_slice(const vt_tensor* x, const int64_t* begins, const int64_t* steps, const vt_tensor* y);
/* y dim i = x dim perm[i] */
VT_API vt_status vt_permute(const vt_tensor* x, const int32_t* perm, const vt_tensor* y);
VT_API vt_status vt_transpose(const vt_tensor* x, int32_t dim0, int32_t dim1, const vt_tensor* y);
/* the same elements in row-major order under y's shape (any dtypes and layouts) */
VT_API vt_status vt_reshape(const vt_tensor* x, const vt_tensor* y);

#ifdef __cplusplus
}
#endif

#endif /* VOXTILE_KERNELS_H */
