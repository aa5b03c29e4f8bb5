/* bf16 / bfp8_b / bfp4_b packing: exact round-to-nearest-even cases, the TTNN tile byte layout, and round trips
   against an independent transcription of tt-metal's scalar packer (blockfloat_common.cpp, convert_u32_to_bfp). */
#include "vt_test.h"

static uint32_t bits(float f) {
    uint32_t u;
    memcpy(&u, &f, 4);
    return u;
}
static float flt(uint32_t u) {
    float f;
    memcpy(&f, &u, 4);
    return f;
}

/* tt-metal's convert_u32_to_bfp<Bfp*_b, false>, transcribed step by step (no denormal inputs are fed to it) */
static uint8_t ref_code(uint32_t input, uint32_t shared_exp, int mant_bits) {
    const uint32_t shift_bits = 24 - mant_bits, max_val = (1u << mant_bits) - 1;
    if ((input & 0x7fffffffu) == 0) return 0;
    uint32_t mantissa = input & 0x007fffff, exp = (input & 0x7f800000) >> 23, sign = input >> 31;
    mantissa = (1u << 23) | mantissa;
    if (shared_exp > exp) {
        int exp_diff = (int)(shared_exp - exp);
        while (exp_diff > 31) {
            mantissa >>= 31;
            exp_diff -= 31;
        }
        mantissa >>= exp_diff;
    }
    const uint32_t round_mask = (1u << shift_bits) - 1, tie = 1u << (shift_bits - 1);
    uint32_t round_value = mantissa & round_mask;
    mantissa >>= shift_bits;
    uint32_t guard = mantissa & 1;
    if (round_value > tie || (round_value == tie && guard == 1)) mantissa += 1;
    if (mantissa > max_val) mantissa = max_val;
    if (mantissa == 0) sign = 0;
    return (uint8_t)((sign << mant_bits) | mantissa);
}

static void bf16_cases(void) {
    struct {
        uint32_t in;
        uint16_t out;
    } c[] = {
        {0x3F800000, 0x3F80}, /* 1 */
        {0x3F808000, 0x3F80}, /* tie, even lsb: down */
        {0x3F818000, 0x3F82}, /* tie, odd lsb: up */
        {0x3F808001, 0x3F81}, /* above the tie */
        {0x3F807FFF, 0x3F80}, /* below */
        {0xBF818000, 0xBF82}, /* negative tie up */
        {0x7F7FFFFF, 0x7F80}, /* max float rounds to inf */
        {0x7F800000, 0x7F80}, /* inf */
        {0xFF800000, 0xFF80},
        {0x7FC00001, 0x7FC0}, /* NaN -> canonical */
        {0xFFFFFFFF, 0x7FC0},
        {0x80000000, 0x8000}, /* -0 */
        {0x00018000, 0x0002}, /* denormal tie, odd: up */
    };
    for (size_t i = 0; i < sizeof c / sizeof c[0]; ++i) {
        float f = flt(c[i].in);
        uint16_t h;
        OK(vt_f32_to_bf16(&f, &h, 1));
        EXPECT(h == c[i].out, "bf16(%08x) = %04x, want %04x", c[i].in, h, c[i].out);
    }
    /* every variant rounds the same, on random bit patterns */
    enum { N = 4099 };
    static float x[N];
    static uint16_t want[N], got[N];
    for (int i = 0; i < N; ++i) x[i] = flt((uint32_t)rnd_u64());
    OK(vt_set_isa(VT_ISA_PORTABLE));
    OK(vt_f32_to_bf16(x, want, N));
    for (int v = 0; v < 4; ++v) {
        if (!vt_isa_supported(all_isas[v])) continue;
        OK(vt_set_isa(all_isas[v]));
        OK(vt_f32_to_bf16(x, got, N));
        int diff = 0;
        for (int i = 0; i < N; ++i) diff += got[i] != want[i] || got[i] != bf16_bits(x[i]);
        EXPECT(diff == 0, "bf16 %s: %d of %d differ", vt_isa_name(all_isas[v]), diff, N);
        float back[N];
        OK(vt_bf16_to_f32(got, back, N));
        diff = 0;
        for (int i = 0; i < N; ++i) diff += bits(back[i]) != (uint32_t)got[i] << 16;
        EXPECT(diff == 0, "bf16 -> f32 %s: %d differ", vt_isa_name(all_isas[v]), diff);
    }
}

/* the code of value v packed in a row whose largest value is 1.x (shared exponent 127) */
static unsigned pack_in_unit_row(float v, vt_dtype dt) {
    float m[32 * 32] = {0};
    m[0] = 1.0f;
    m[1] = v;
    uint8_t tile[1088];
    OK(vt_pack_tiles(m, 1, 32, 32, dt, tile));
    EXPECT(tile[0] == 127, "shared exponent %u, want 127", tile[0]);
    return dt == VT_DTYPE_BFP8_B ? tile[65] : (unsigned)(tile[64] >> 4);
}

static void bfp_exact_cases(void) {
    struct {
        float v;
        unsigned code8;
    } c8[] = {
        {1.0f, 0x40},        {1.5f, 0x60},        {-1.5f, 0xE0},         {1.9999999f, 0x7F}, /* rounds to 128: saturates */
        {1.0f / 128, 0x00},  /* 0x10000 after the shift: a tie, kept lsb 0 -> 0, and no sign */
        {-1.0f / 128, 0x00}, {3.0f / 128, 0x02}, /* tie with odd lsb -> up */
        {1.0f / 64, 0x01},   {0.0f, 0x00},       {-0.0f, 0x00},
        {1.0f / 1024, 0x00}, {127.0f / 128 + 1.0f / 256, 0x40}, /* 0.99609375: 63 + more than half -> 64 */
    };
    for (size_t i = 0; i < sizeof c8 / sizeof c8[0]; ++i) {
        unsigned got = pack_in_unit_row(c8[i].v, VT_DTYPE_BFP8_B);
        EXPECT(got == c8[i].code8, "bfp8 code of %g = %02x, want %02x", c8[i].v, got, c8[i].code8);
        EXPECT(got == ref_code(bits(c8[i].v), 127, 7), "bfp8 code of %g differs from the tt-metal transcription", c8[i].v);
    }
    struct {
        float v;
        unsigned code4;
    } c4[] = {
        {1.0f, 4}, {1.75f, 7}, {1.875f, 7}, /* tie, odd -> 8 -> saturates at 7 */
        {-1.75f, 15}, {0.375f, 2},           /* tie, odd -> up */
        {0.125f, 0},  /* tie, even -> 0 */
        {0.25f, 1},   {-0.25f, 9}, {0.3125f, 1}, /* 1.25 * 2^-2: 0x280000 -> 1 rem 0x80000 < tie */
    };
    for (size_t i = 0; i < sizeof c4 / sizeof c4[0]; ++i) {
        unsigned got = pack_in_unit_row(c4[i].v, VT_DTYPE_BFP4_B);
        EXPECT(got == c4[i].code4, "bfp4 code of %g = %x, want %x", c4[i].v, got, c4[i].code4);
        EXPECT(got == ref_code(bits(c4[i].v), 127, 3), "bfp4 code of %g differs from the tt-metal transcription", c4[i].v);
    }
    /* unpacking: code 0x60 at exponent 127 is 1.5, 0x01 is 1/64, bfp4 7 is 1.75 */
    float m[1024] = {0}, back[1024];
    m[0] = 1.5f, m[1] = 1.0f / 64, m[2] = -1.0f;
    uint8_t tile[1088];
    OK(vt_pack_tiles(m, 1, 32, 32, VT_DTYPE_BFP8_B, tile));
    OK(vt_unpack_tiles(tile, VT_DTYPE_BFP8_B, 1, 32, 32, back));
    EXPECT(back[0] == 1.5f && back[1] == 1.0f / 64 && back[2] == -1.0f, "bfp8 unpack %g %g %g", back[0], back[1], back[2]);
}

/* element (r, c) of a tile: face (r/16)*2 + c/16, face row r%16, column c%16 */
static void layout_cases(void) {
    float m[32 * 32];
    for (int r = 0; r < 32; ++r)
        for (int c = 0; c < 32; ++c) m[r * 32 + c] = (float)(r * 32 + c);
    float tf[1024];
    uint16_t tb[1024];
    OK(vt_pack_tiles(m, 1, 32, 32, VT_DTYPE_F32, tf));
    OK(vt_pack_tiles(m, 1, 32, 32, VT_DTYPE_BF16, tb));
    int bad = 0;
    for (int r = 0; r < 32; ++r)
        for (int c = 0; c < 32; ++c) {
            int at = ((r / 16) * 2 + c / 16) * 256 + (r % 16) * 16 + c % 16;
            bad += tf[at] != m[r * 32 + c] || tb[at] != bf16_bits(m[r * 32 + c]);
        }
    EXPECT(bad == 0, "f32/bf16 tile layout: %d misplaced", bad);
    /* bfp: each face row gets its own exponent; give face row q the values 2^(q%8) * (1 + c/16) */
    for (int r = 0; r < 32; ++r)
        for (int c = 0; c < 32; ++c) {
            int q = ((r / 16) * 2 + c / 16) * 16 + r % 16;
            m[r * 32 + c] = ldexpf(1.0f + (float)(c % 16) / 16.0f, q % 8) * (c % 2 ? -1.0f : 1.0f);
        }
    uint8_t t8[1088], t4[576];
    OK(vt_pack_tiles(m, 1, 32, 32, VT_DTYPE_BFP8_B, t8));
    OK(vt_pack_tiles(m, 1, 32, 32, VT_DTYPE_BFP4_B, t4));
    bad = 0;
    for (int r = 0; r < 32; ++r)
        for (int c = 0; c < 32; ++c) {
            int q = ((r / 16) * 2 + c / 16) * 16 + r % 16;
            uint32_t e = 127 + q % 8;
            bad += t8[q] != e || t4[q] != e;
            uint32_t u = bits(m[r * 32 + c]);
            bad += t8[64 + q * 16 + c % 16] != ref_code(u, e, 7);
            unsigned nib = (t4[64 + q * 8 + (c % 16) / 2] >> ((c % 2) * 4)) & 15u;
            bad += nib != ref_code(u, e, 3);
        }
    EXPECT(bad == 0, "bfp tile layout/codes: %d wrong", bad);
}

static void roundtrip_cases(void) {
    for (int it = 0; it < 60; ++it) {
        const int64_t b = rnd_int(1, 3), rows = rnd_int(1, 70), cols = rnd_int(1, 70);
        const int64_t tiles = b * ((rows + 31) / 32) * ((cols + 31) / 32), n = b * rows * cols;
        float* x = malloc((size_t)n * 4);
        float* y = malloc((size_t)n * 4);
        float* z = malloc((size_t)n * 4);
        uint8_t* p = malloc((size_t)tiles * 4096);
        uint8_t* q = malloc((size_t)tiles * 4096);
        const int spread = rnd_int(0, 20);
        for (int64_t i = 0; i < n; ++i) x[i] = ldexpf(rnd_float(-1, 1), rnd_int(-spread, spread));
        for (int d = 0; d < 4; ++d) {
            const vt_dtype dt = (vt_dtype)d;
            int64_t shp[3] = {b, rows, cols};
            vt_tensor t = make_tensor(NULL, dt, 3, shp);
            t.layout = VT_LAYOUT_TILE;
            int64_t bytes;
            OK(vt_tensor_bytes(&t, &bytes));
            EXPECT(bytes == tiles * (d == 0 ? 4096 : d == 1 ? 2048 : d == 2 ? 1088 : 576), "tile bytes of %d", d);
            OK(vt_pack_tiles(x, b, rows, cols, dt, p));
            OK(vt_unpack_tiles(p, dt, b, rows, cols, y));
            OK(vt_pack_tiles(y, b, rows, cols, dt, q));
            EXPECT(memcmp(p, q, (size_t)bytes) == 0, "pack(unpack(pack x)) != pack x for dtype %d", d);
            OK(vt_unpack_tiles(q, dt, b, rows, cols, z));
            int bad = 0;
            for (int64_t i = 0; i < n; ++i) {
                if (d == 0) bad += y[i] != x[i];
                if (d == 1) bad += y[i] != bf16_round(x[i]);
                bad += z[i] != y[i];
            }
            if (d >= 2) {
                /* error within one step of the block's magnitude grid: 2^(E-127-6) (bfp8) or 2^(E-127-2) (bfp4) */
                for (int64_t m = 0; m < b; ++m)
                    for (int64_t r = 0; r < rows; ++r)
                        for (int64_t c0 = 0; c0 < cols; c0 += 16) {
                            int e = -1000;
                            const float* row = x + (m * rows + r) * cols;
                            for (int64_t c = c0; c < c0 + 16 && c < cols; ++c) {
                                int ex;
                                frexpf(row[c], &ex);
                                if (row[c] != 0 && ex - 1 > e) e = ex - 1;
                            }
                            const float step = ldexpf(1.0f, e - (d == 2 ? 6 : 2));
                            for (int64_t c = c0; c < c0 + 16 && c < cols; ++c)
                                bad += fabsf(y[(m * rows + r) * cols + c] - row[c]) > step;
                        }
            }
            EXPECT(bad == 0, "round trip dtype %d (%lldx%lldx%lld): %d bad", d, (long long)b, (long long)rows, (long long)cols, bad);
        }
        /* padding is zero: unpack a padded 32-multiple view of the same tiles */
        OK(vt_pack_tiles(x, b, rows, cols, VT_DTYPE_BF16, p));
        const int64_t R = (rows + 31) / 32 * 32, C = (cols + 31) / 32 * 32;
        float* full = malloc((size_t)(b * R * C) * 4);
        OK(vt_unpack_tiles(p, VT_DTYPE_BF16, b, R, C, full));
        int bad = 0;
        for (int64_t m = 0; m < b; ++m)
            for (int64_t r = 0; r < R; ++r)
                for (int64_t c = 0; c < C; ++c)
                    if (r >= rows || c >= cols) bad += full[(m * R + r) * C + c] != 0.0f;
        EXPECT(bad == 0, "tile padding not zero: %d", bad);
        free(full), free(x), free(y), free(z), free(p), free(q);
    }
}

/* typecast between layouts agrees with pack/unpack */
static void typecast_cases(void) {
    int64_t shp[2] = {40, 50};
    float x[2000], y[2000];
    for (int i = 0; i < 2000; ++i) x[i] = rnd_float(-4, 4);
    uint8_t tiles[4 * 1088], direct[4 * 1088];
    vt_tensor xt = make_tensor(x, VT_DTYPE_F32, 2, shp), tt = make_tensor(tiles, VT_DTYPE_BFP8_B, 2, shp);
    tt.layout = VT_LAYOUT_TILE;
    OK(vt_typecast(&xt, &tt));
    OK(vt_pack_tiles(x, 1, 40, 50, VT_DTYPE_BFP8_B, direct));
    EXPECT(memcmp(tiles, direct, sizeof tiles) == 0, "typecast to bfp8 tiles differs from vt_pack_tiles");
    vt_tensor yt = make_tensor(y, VT_DTYPE_F32, 2, shp);
    OK(vt_typecast(&tt, &yt));
    float z[2000];
    OK(vt_unpack_tiles(direct, VT_DTYPE_BFP8_B, 1, 40, 50, z));
    EXPECT(memcmp(y, z, sizeof y) == 0, "typecast from bfp8 tiles differs from vt_unpack_tiles");
}

int main(void) {
    OK(vt_init(2));
    bf16_cases();
    OK(vt_set_isa(VT_ISA_BEST));
    bfp_exact_cases();
    layout_cases();
    roundtrip_cases();
    typecast_cases();
    return vt_test_finish("pack");
}
