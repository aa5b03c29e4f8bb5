/* Element-wise inner loops written once and compiled per instruction set (portable, AVX2, AVX-512 flags), so the
   compiler vectorizes each for its target: unary ops on f32 spans, f32<->bf16 conversion and the row staging that
   feeds the GEMM tiles. Transcendental functions call libm per element (they are off the hot path: the hot
   activations are fused into the convolutions). Include with VT_VARIANT defined. */
#include <math.h>

#include "vt_internal.h"

#define VT_V_(name, v) name##_##v
#define VT_V(name, v) VT_V_(name, v)

static inline uint32_t vt_rne_bits(float f) {
    uint32_t u;
    memcpy(&u, &f, 4);
    const uint32_t r = (u + 0x7fffu + ((u >> 16) & 1u)) >> 16;
    return (u & 0x7fffffffu) > 0x7f800000u ? 0x7fc0u : r;
}

/* expf without branches, so loops over it vectorize: Cody–Waite reduction by ln 2 and Cephes' degree-6 polynomial
   (max relative error ~2e-7 on [-87, 88]); the result is scaled by 2^k through the exponent bits. */
static inline float vt_fast_exp(float x) {
    x = x < -87.0f ? -87.0f : x > 88.0f ? 88.0f : x;
    const float k = __builtin_rintf(x * 1.44269504088896341f);
    const float r = (x - k * 0.693359375f) - k * -2.12194440e-4f;
    float p = 1.9875691500e-4f;
    p = p * r + 1.3981999507e-3f;
    p = p * r + 8.3334519073e-3f;
    p = p * r + 4.1665795894e-2f;
    p = p * r + 1.6666665459e-1f;
    p = p * r + 5.0000001201e-1f;
    const float y = p * r * r + r + 1.0f;
    const uint32_t bits = (uint32_t)((int32_t)k + 127) << 23;
    float scale;
    memcpy(&scale, &bits, 4);
    return y * scale;
}

static inline float vt_fast_sigmoid(float x) { return 1.0f / (1.0f + vt_fast_exp(-x)); }

/* tanh = 1 - 2 / (e^2x + 1) on |x|, with the Taylor series below 1/8 where that form cancels (abs error < 2e-7) */
static inline float vt_fast_tanh(float x) {
    const float a = fabsf(x), a2 = a * a;
    const float big = 1.0f - 2.0f / (vt_fast_exp(2.0f * a) + 1.0f);
    const float small = a * (1.0f + a2 * (-1.0f / 3.0f + a2 * (2.0f / 15.0f + a2 * (-17.0f / 315.0f))));
    const float t = a < 0.125f ? small : big;
    return x < 0.0f ? -t : t;
}

/* the epilogue activations that need a transcendental function, over f32 spans */
void VT_V(vt_act_f32, VT_VARIANT)(vt_activation act, float slope, const float* x, float* y, int64_t n) {
    if (act == VT_ACTIVATION_TANH)
        for (int64_t i = 0; i < n; ++i) y[i] = vt_fast_tanh(x[i]);
    else if (act == VT_ACTIVATION_SIGMOID)
        for (int64_t i = 0; i < n; ++i) y[i] = vt_fast_sigmoid(x[i]);
    else if (act == VT_ACTIVATION_LEAKY_RELU)
        for (int64_t i = 0; i < n; ++i) y[i] = x[i] < 0.0f ? slope * x[i] : x[i];
    else if (act == VT_ACTIVATION_RELU)
        for (int64_t i = 0; i < n; ++i) y[i] = x[i] > 0.0f ? x[i] : 0.0f;
    else if (y != x)
        memcpy(y, x, (size_t)n * 4);
}

/* the WaveNet gate: y = tanh(t) * sigmoid(g) */
void VT_V(vt_gate_f32, VT_VARIANT)(const float* t, const float* g, float* y, int64_t n) {
    for (int64_t i = 0; i < n; ++i) y[i] = vt_fast_tanh(t[i]) * vt_fast_sigmoid(g[i]);
}

void VT_V(vt_f32_to_bf16, VT_VARIANT)(const float* src, uint16_t* dst, int64_t n) {
    for (int64_t i = 0; i < n; ++i) dst[i] = (uint16_t)vt_rne_bits(src[i]);
}

void VT_V(vt_bf16_to_f32, VT_VARIANT)(const uint16_t* src, float* dst, int64_t n) {
    for (int64_t i = 0; i < n; ++i) {
        uint32_t u = (uint32_t)src[i] << 16;
        memcpy(&dst[i], &u, 4);
    }
}

void VT_V(vt_unary_f32, VT_VARIANT)(vt_unary_op op, float p, const float* x, float* y, int64_t n) {
    switch (op) {
    case VT_UNARY_OP_RELU:
        for (int64_t i = 0; i < n; ++i) y[i] = x[i] > 0.0f ? x[i] : 0.0f;
        break;
    case VT_UNARY_OP_LEAKY_RELU:
        for (int64_t i = 0; i < n; ++i) y[i] = x[i] < 0.0f ? p * x[i] : x[i];
        break;
    case VT_UNARY_OP_NEG:
        for (int64_t i = 0; i < n; ++i) y[i] = -x[i];
        break;
    case VT_UNARY_OP_ABS:
        for (int64_t i = 0; i < n; ++i) y[i] = fabsf(x[i]);
        break;
    case VT_UNARY_OP_SQUARE:
        for (int64_t i = 0; i < n; ++i) y[i] = x[i] * x[i];
        break;
    case VT_UNARY_OP_MUL_SCALAR:
        for (int64_t i = 0; i < n; ++i) y[i] = p * x[i];
        break;
    case VT_UNARY_OP_ADD_SCALAR:
        for (int64_t i = 0; i < n; ++i) y[i] = x[i] + p;
        break;
    case VT_UNARY_OP_RECIPROCAL:
        for (int64_t i = 0; i < n; ++i) y[i] = 1.0f / x[i];
        break;
    case VT_UNARY_OP_SQRT:
        for (int64_t i = 0; i < n; ++i) y[i] = sqrtf(x[i]);
        break;
    case VT_UNARY_OP_RSQRT:
        for (int64_t i = 0; i < n; ++i) y[i] = 1.0f / sqrtf(x[i]);
        break;
    case VT_UNARY_OP_CEIL:
        for (int64_t i = 0; i < n; ++i) y[i] = ceilf(x[i]);
        break;
    case VT_UNARY_OP_FLOOR:
        for (int64_t i = 0; i < n; ++i) y[i] = floorf(x[i]);
        break;
    default:
        for (int64_t i = 0; i < n; ++i) y[i] = vt_unary_scalar(op, p, x[i]);
        break;
    }
}

/* One staged GEMM row: n input values (stride apart) through the input activation, rounded to bf16 when the math
   is bf16, written as f32 or bf16 bits; `pad` zeros follow. */
void VT_V(vt_stage_row, VT_VARIANT)(const void* src, vt_dtype sdt, int64_t stride, int64_t n, vt_activation act,
                                     float slope, int32_t round_bf16, void* dst, vt_panel_format fmt, int64_t pad) {
    float buf[256];
    for (int64_t i0 = 0; i0 < n; i0 += 256) {
        const int64_t m = n - i0 < 256 ? n - i0 : 256;
        if (sdt == VT_DTYPE_F32 && stride == 1) {
            memcpy(buf, (const float*)src + i0, (size_t)m * 4);
        } else if (sdt == VT_DTYPE_BF16 && stride == 1) {
            const uint16_t* s = (const uint16_t*)src + i0;
            for (int64_t i = 0; i < m; ++i) {
                uint32_t u = (uint32_t)s[i] << 16;
                memcpy(&buf[i], &u, 4);
            }
        } else {
            for (int64_t i = 0; i < m; ++i) buf[i] = vt_load_elem(src, sdt, (i0 + i) * stride);
        }
        if (act == VT_ACTIVATION_LEAKY_RELU)
            for (int64_t i = 0; i < m; ++i) buf[i] = buf[i] < 0.0f ? slope * buf[i] : buf[i];
        else if (act == VT_ACTIVATION_RELU)
            for (int64_t i = 0; i < m; ++i) buf[i] = buf[i] > 0.0f ? buf[i] : 0.0f;
        else if (act != VT_ACTIVATION_NONE)
            for (int64_t i = 0; i < m; ++i) buf[i] = vt_activate(act, slope, buf[i]);
        if (fmt == VT_PANEL_BF16) {
            uint16_t* d = (uint16_t*)dst + i0;
            for (int64_t i = 0; i < m; ++i) d[i] = (uint16_t)vt_rne_bits(buf[i]);
        } else if (round_bf16) {
            float* d = (float*)dst + i0;
            for (int64_t i = 0; i < m; ++i) {
                uint32_t u = vt_rne_bits(buf[i]) << 16;
                memcpy(&d[i], &u, 4);
            }
        } else {
            memcpy((float*)dst + i0, buf, (size_t)m * 4);
        }
    }
    if (fmt == VT_PANEL_BF16)
        memset((uint16_t*)dst + n, 0, (size_t)pad * 2);
    else
        memset((float*)dst + n, 0, (size_t)pad * 4);
}

/* Winograd's transforms, a whole tile per call: output row o (of `rows`) = add row o + the sum of t's nonzero terms
   coef * (input row term, rows src_step floats apart), in fp32 with one multiply-add per term in ascending term order
   (each transformed row is such a sum of staged input rows, each output row one of transformed products). The columns
   go in blocks of 4 vectors of the ISA's width: the block of every input row stays in L1 while all output rows are
   made from it, the accumulators stay in registers, and a coefficient is broadcast once per 4 multiply-adds. */
#if defined(__AVX512F__)
typedef float vt_wino_vec __attribute__((vector_size(64), aligned(4), may_alias));
#elif defined(__AVX__)
typedef float vt_wino_vec __attribute__((vector_size(32), aligned(4), may_alias));
#else
typedef float vt_wino_vec __attribute__((vector_size(16), aligned(4), may_alias));
#endif

void VT_V(vt_wino_transform_f32, VT_VARIANT)(const vt_wino_rows* t, int32_t rows, const float* src, int64_t src_step,
                                             const float* add, int64_t add_step, float* y, int64_t y_step, int64_t n) {
    enum { W = (int)(sizeof(vt_wino_vec) / sizeof(float)), U = 4 };
    int64_t c0 = 0;
    for (; c0 + U * W <= n; c0 += U * W)
        for (int32_t o = 0; o < rows; ++o) {
            vt_wino_vec a0 = {0}, a1 = {0}, a2 = {0}, a3 = {0};
            if (add) {
                const float* s = add + o * add_step + c0;
                a0 = *(const vt_wino_vec*)s, a1 = *(const vt_wino_vec*)(s + W);
                a2 = *(const vt_wino_vec*)(s + 2 * W), a3 = *(const vt_wino_vec*)(s + 3 * W);
            }
            for (int32_t e = 0; e < t->nnz[o]; ++e) {
                const float k = t->coef[o][e];
                const float* s = src + t->term[o][e] * src_step + c0;
                a0 += k * *(const vt_wino_vec*)s;
                a1 += k * *(const vt_wino_vec*)(s + W);
                a2 += k * *(const vt_wino_vec*)(s + 2 * W);
                a3 += k * *(const vt_wino_vec*)(s + 3 * W);
            }
            float* d = y + o * y_step + c0;
            *(vt_wino_vec*)d = a0, *(vt_wino_vec*)(d + W) = a1;
            *(vt_wino_vec*)(d + 2 * W) = a2, *(vt_wino_vec*)(d + 3 * W) = a3;
        }
    for (; c0 + W <= n; c0 += W)
        for (int32_t o = 0; o < rows; ++o) {
            vt_wino_vec a0 = {0};
            if (add) a0 = *(const vt_wino_vec*)(add + o * add_step + c0);
            for (int32_t e = 0; e < t->nnz[o]; ++e)
                a0 += t->coef[o][e] * *(const vt_wino_vec*)(src + t->term[o][e] * src_step + c0);
            *(vt_wino_vec*)(y + o * y_step + c0) = a0;
        }
    for (; c0 < n; ++c0)
        for (int32_t o = 0; o < rows; ++o) {
            float a0 = add ? add[o * add_step + c0] : 0.0f;
            for (int32_t e = 0; e < t->nnz[o]; ++e) a0 += t->coef[o][e] * src[t->term[o][e] * src_step + c0];
            y[o * y_step + c0] = a0;
        }
}
