/*
 * bf16 and TTNN tile formats.
 *
 * bf16: round to nearest even, NaN -> 0x7FC0 (tt-metal bfloat16.hpp, fp32_to_bf16_bits_round_to_nearest_even).
 *
 * Tiles: 32x32, four 16x16 faces (top-left, top-right, bottom-left, bottom-right), each face row-major.
 * bfp8_b / bfp4_b, matched against tt-metal tt_metal/impl/data_format (blockfloat_common.cpp, bfloat8.cpp,
 * bfloat4.cpp and detail::bfp::convert/pack_tiles), with is_exp_a = false (the "_b" formats keep the 8-bit
 * fp32 exponent):
 *  - one group = one face row of 16 values; its shared exponent is the largest 8-bit biased exponent of the 16
 *    fp32 inputs;
 *  - a value with exponent field 0 (zero or denormal) packs to 0; otherwise its 24-bit significand (hidden bit
 *    set) is shifted right by (shared - own exponent), dropping the bits shifted out (a distance >= 32 gives 0),
 *    then rounded to nearest even to 7 bits (bfp8) or 3 bits (bfp4) — shift 25 - bits, ties to even on the
 *    kept lsb — and saturated at 127 / 7 (a carry never bumps the exponent);
 *  - the stored code is sign-magnitude: sign in bit 7 (bit 3 for bfp4) only when the magnitude is non-zero;
 *  - tile bytes: the 64 shared exponents first (one byte each, face-row order f0r0..f0r15, f1r0.., f2.., f3..),
 *    then the codes in the same order, 4 per 32-bit word (bfp8) or 8 per word (bfp4), value 0 in the low bits;
 *    1088 / 576 bytes a tile.
 *  - unpacking normalizes the code: a magnitude m at shared exponent E is m * 2^(E - 127 - (bits - 2)); when
 *    normalization would take the exponent below 0 the value is flushed to 0 (tt-metal's unpack does the same).
 */
#include "vt_internal.h"

#include <stdlib.h>

vt_status vt_f32_to_bf16(const float* src, uint16_t* dst, int64_t count) {
    if (count < 0 || (count > 0 && (!src || !dst)))
        return vt_fail(VT_STATUS_INVALID_ARGUMENT, "vt_f32_to_bf16: bad arguments");
    vt_kernels()->f32_to_bf16(src, dst, count);
    return VT_STATUS_OK;
}

vt_status vt_bf16_to_f32(const uint16_t* src, float* dst, int64_t count) {
    if (count < 0 || (count > 0 && (!src || !dst)))
        return vt_fail(VT_STATUS_INVALID_ARGUMENT, "vt_bf16_to_f32: bad arguments");
    vt_kernels()->bf16_to_f32(src, dst, count);
    return VT_STATUS_OK;
}

int64_t vt_tile_bytes(vt_dtype d) {
    switch (d) {
    case VT_DTYPE_F32:
    case VT_DTYPE_U32: return 4096;
    case VT_DTYPE_BF16: return 2048;
    case VT_DTYPE_BFP8_B: return 1088;
    case VT_DTYPE_BFP4_B: return 576;
    default: return 0;
    }
}

static inline uint32_t vt_bits(float f) {
    uint32_t u;
    memcpy(&u, &f, 4);
    return u;
}
static inline float vt_float(uint32_t u) {
    float f;
    memcpy(&f, &u, 4);
    return f;
}

static inline uint32_t vt_bfp_code(uint32_t u, uint32_t shared, int bits) {
    const uint32_t shift = 25u - (uint32_t)bits, maximum = (1u << (bits - 1)) - 1u;
    uint32_t e = (u >> 23) & 255u;
    if (e == 0) return 0;
    uint32_t m = (u & 0x7fffffu) | 0x800000u;
    uint32_t dist = shared - e;
    m = dist >= 32 ? 0 : m >> dist;
    m = (m + (1u << (shift - 1)) - 1u + ((m >> shift) & 1u)) >> shift;
    if (m > maximum) m = maximum;
    return m == 0 ? 0 : m | ((u >> 31) << (bits - 1));
}

static inline float vt_bfp_value(uint32_t code, uint32_t shared, int bits) {
    const uint32_t mbits = (uint32_t)bits - 1u, mmask = (1u << mbits) - 1u;
    uint32_t sign = code >> mbits, m = code & mmask;
    if (m == 0) return vt_float(sign << 31);
    int top = 31 - __builtin_clz(m);        /* position of the leading one */
    uint32_t shift = mbits - 1u - (uint32_t)top; /* shifts until bit (mbits-1) is set */
    if (shift > shared) return 0.0f;
    uint32_t e = shared - shift;
    uint32_t frac = (m << (shift + 1u)) & mmask;
    return vt_float((sign << 31) | (e << 23) | (frac << (23u - mbits)));
}

/* packs one 16-value face row into `codes` and returns its shared exponent */
static uint8_t vt_bfp_pack_row(const float* v, uint8_t* codes, int bits) {
    uint32_t u[16], shared = 0;
    for (int i = 0; i < 16; ++i) {
        u[i] = vt_bits(v[i]);
        uint32_t e = (u[i] >> 23) & 255u;
        if (e > shared) shared = e;
    }
    if (bits == 8) {
        for (int i = 0; i < 16; ++i) codes[i] = (uint8_t)vt_bfp_code(u[i], shared, 8);
    } else {
        for (int i = 0; i < 8; ++i)
            codes[i] = (uint8_t)(vt_bfp_code(u[2 * i], shared, 4) | (vt_bfp_code(u[2 * i + 1], shared, 4) << 4));
    }
    return (uint8_t)shared;
}

static void vt_bfp_unpack_row(const uint8_t* codes, uint32_t shared, float* v, int bits) {
    if (bits == 8) {
        for (int i = 0; i < 16; ++i) v[i] = vt_bfp_value(codes[i], shared, 8);
    } else {
        for (int i = 0; i < 8; ++i) {
            v[2 * i] = vt_bfp_value(codes[i] & 15u, shared, 4);
            v[2 * i + 1] = vt_bfp_value(codes[i] >> 4, shared, 4);
        }
    }
}

typedef struct vt_tile_job {
    const float* src_f32;
    float* dst_f32;
    const void* src_tiles;
    void* dst_tiles;
    vt_dtype dtype;
    int64_t rows, cols, tiles_r, tiles_c, tiles;
} vt_tile_job;

/* tile index -> (matrix, tile row, tile col); face row r (0..63) -> matrix row/col of its first value */
static void vt_pack_one(const vt_tile_job* j, int64_t tile) {
    const int64_t per = j->tiles_r * j->tiles_c, b = tile / per, tr = (tile % per) / j->tiles_c, tc = tile % j->tiles_c;
    const float* m = j->src_f32 + b * j->rows * j->cols;
    uint8_t* t = (uint8_t*)j->dst_tiles + tile * vt_tile_bytes(j->dtype);
    for (int r = 0; r < 64; ++r) {
        const int face = r >> 4, i = r & 15;
        const int64_t row = tr * 32 + (face >> 1) * 16 + i, col0 = tc * 32 + (face & 1) * 16;
        float v[16];
        for (int c = 0; c < 16; ++c) {
            int64_t col = col0 + c;
            v[c] = (row < j->rows && col < j->cols) ? m[row * j->cols + col] : 0.0f;
        }
        switch (j->dtype) {
        case VT_DTYPE_F32: memcpy(t + r * 64, v, 64); break;
        case VT_DTYPE_U32:
            for (int c = 0; c < 16; ++c) vt_store_elem(t + r * 64, VT_DTYPE_U32, c, v[c]);
            break;
        case VT_DTYPE_BF16:
            for (int c = 0; c < 16; ++c) ((uint16_t*)(t + r * 32))[c] = vt_f32_to_bf16_bits(v[c]);
            break;
        case VT_DTYPE_BFP8_B: t[r] = vt_bfp_pack_row(v, t + 64 + r * 16, 8); break;
        case VT_DTYPE_BFP4_B: t[r] = vt_bfp_pack_row(v, t + 64 + r * 8, 4); break;
        default: break;
        }
    }
}

static void vt_unpack_one(const vt_tile_job* j, int64_t tile) {
    const int64_t per = j->tiles_r * j->tiles_c, b = tile / per, tr = (tile % per) / j->tiles_c, tc = tile % j->tiles_c;
    float* m = j->dst_f32 + b * j->rows * j->cols;
    const uint8_t* t = (const uint8_t*)j->src_tiles + tile * vt_tile_bytes(j->dtype);
    for (int r = 0; r < 64; ++r) {
        const int face = r >> 4, i = r & 15;
        const int64_t row = tr * 32 + (face >> 1) * 16 + i, col0 = tc * 32 + (face & 1) * 16;
        if (row >= j->rows || col0 >= j->cols) continue;
        float v[16];
        switch (j->dtype) {
        case VT_DTYPE_F32: memcpy(v, t + r * 64, 64); break;
        case VT_DTYPE_U32:
            for (int c = 0; c < 16; ++c) v[c] = (float)((const uint32_t*)(t + r * 64))[c];
            break;
        case VT_DTYPE_BF16:
            for (int c = 0; c < 16; ++c) v[c] = vt_bf16_bits_to_f32(((const uint16_t*)(t + r * 32))[c]);
            break;
        case VT_DTYPE_BFP8_B: vt_bfp_unpack_row(t + 64 + r * 16, t[r], v, 8); break;
        case VT_DTYPE_BFP4_B: vt_bfp_unpack_row(t + 64 + r * 8, t[r], v, 4); break;
        default: memset(v, 0, sizeof v); break;
        }
        int64_t n = j->cols - col0 < 16 ? j->cols - col0 : 16;
        memcpy(m + row * j->cols + col0, v, (size_t)n * sizeof(float));
    }
}

enum { VT_TILES_PER_TASK = 16 };

static void vt_pack_task(void* ctx, int64_t i, int32_t thread) {
    (void)thread;
    const vt_tile_job* j = ctx;
    int64_t end = (i + 1) * VT_TILES_PER_TASK < j->tiles ? (i + 1) * VT_TILES_PER_TASK : j->tiles;
    for (int64_t t = i * VT_TILES_PER_TASK; t < end; ++t) vt_pack_one(j, t);
}

static void vt_unpack_task(void* ctx, int64_t i, int32_t thread) {
    (void)thread;
    const vt_tile_job* j = ctx;
    int64_t end = (i + 1) * VT_TILES_PER_TASK < j->tiles ? (i + 1) * VT_TILES_PER_TASK : j->tiles;
    for (int64_t t = i * VT_TILES_PER_TASK; t < end; ++t) vt_unpack_one(j, t);
}

static vt_status vt_tile_job_init(vt_tile_job* j, vt_dtype dtype, int64_t batch, int64_t rows, int64_t cols,
                                   const char* what) {
    if (batch < 0 || rows < 0 || cols < 0)
        return vt_fail(VT_STATUS_INVALID_ARGUMENT, "%s: negative extent (%lld x %lld x %lld)", what, (long long)batch,
                       (long long)rows, (long long)cols);
    if (vt_tile_bytes(dtype) == 0) return vt_fail(VT_STATUS_INVALID_ARGUMENT, "%s: unknown dtype %d", what, (int)dtype);
    memset(j, 0, sizeof *j);
    j->dtype = dtype;
    j->rows = rows;
    j->cols = cols;
    j->tiles_r = (rows + 31) / 32;
    j->tiles_c = (cols + 31) / 32;
    j->tiles = batch * j->tiles_r * j->tiles_c;
    return VT_STATUS_OK;
}

vt_status vt_pack_tiles_impl(const float* src, int64_t batch, int64_t rows, int64_t cols, vt_dtype dtype, void* dst) {
    vt_tile_job j;
    VT_TRY(vt_tile_job_init(&j, dtype, batch, rows, cols, "vt_pack_tiles"));
    if (j.tiles && (!src || !dst)) return vt_fail(VT_STATUS_INVALID_ARGUMENT, "vt_pack_tiles: NULL buffer");
    j.src_f32 = src;
    j.dst_tiles = dst;
    vt_parallel_for((j.tiles + VT_TILES_PER_TASK - 1) / VT_TILES_PER_TASK, vt_pack_task, &j);
    return VT_STATUS_OK;
}

vt_status vt_unpack_tiles_impl(const void* src, vt_dtype dtype, int64_t batch, int64_t rows, int64_t cols, float* dst) {
    vt_tile_job j;
    VT_TRY(vt_tile_job_init(&j, dtype, batch, rows, cols, "vt_unpack_tiles"));
    if (j.tiles && (!src || !dst)) return vt_fail(VT_STATUS_INVALID_ARGUMENT, "vt_unpack_tiles: NULL buffer");
    j.src_tiles = src;
    j.dst_f32 = dst;
    vt_parallel_for((j.tiles + VT_TILES_PER_TASK - 1) / VT_TILES_PER_TASK, vt_unpack_task, &j);
    return VT_STATUS_OK;
}

vt_status vt_pack_tiles(const float* src, int64_t batch, int64_t rows, int64_t cols, vt_dtype dtype, void* dst) {
    vt_clear_error();
    VT_TRY(vt_require_init());
    return vt_pack_tiles_impl(src, batch, rows, cols, dtype, dst);
}

vt_status vt_unpack_tiles(const void* src, vt_dtype dtype, int64_t batch, int64_t rows, int64_t cols, float* dst) {
    vt_clear_error();
    VT_TRY(vt_require_init());
    return vt_unpack_tiles_impl(src, dtype, batch, rows, cols, dst);
}
