/* Minimal test support for the C tests: checks that count and report, a seeded RNG, tensor builders, and an
   fp64 reference for the numeric formats. */
#ifndef VT_TEST_H
#define VT_TEST_H

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "voxtile_kernels.h"

static int vt_test_failures, vt_test_checks;

#define EXPECT(cond, ...)                                                                                             \
    do {                                                                                                              \
        ++vt_test_checks;                                                                                             \
        if (!(cond)) {                                                                                                \
            ++vt_test_failures;                                                                                       \
            if (vt_test_failures <= 30) {                                                                             \
                fprintf(stderr, "%s:%d: ", __FILE__, __LINE__);                                                       \
                fprintf(stderr, __VA_ARGS__);                                                                         \
                fprintf(stderr, "\n");                                                                                \
            }                                                                                                         \
        }                                                                                                             \
    } while (0)

#define OK(call)                                                                                                      \
    do {                                                                                                              \
        vt_status s_ = (call);                                                                                        \
        EXPECT(s_ == VT_STATUS_OK, "%s -> %d: %s", #call, (int)s_, vt_last_error());                                  \
    } while (0)

static int vt_test_finish(const char* name) {
    printf("%s: %d checks, %d failed\n", name, vt_test_checks, vt_test_failures);
    return vt_test_failures ? 1 : 0;
}

static uint64_t vt_rng_state = 0x9E3779B97F4A7C15ull;
static inline uint64_t rnd_u64(void) {
    uint64_t x = vt_rng_state;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    return vt_rng_state = x;
}
static inline int rnd_int(int lo, int hi) { return lo + (int)(rnd_u64() % (uint64_t)(hi - lo + 1)); }
static inline float rnd_float(float lo, float hi) { return lo + (hi - lo) * (float)(rnd_u64() >> 40) / 16777216.0f; }

static inline vt_tensor make_tensor(void* data, vt_dtype dt, int rank, const int64_t* shape) {
    vt_tensor t;
    memset(&t, 0, sizeof t);
    t.data = data;
    t.dtype = dt;
    t.rank = rank;
    int64_t s = 1;
    for (int i = rank - 1; i >= 0; --i) {
        t.shape[i] = shape[i];
        t.strides[i] = s;
        s *= shape[i];
    }
    return t;
}

static inline float bf16_round(float f) {
    uint32_t u;
    memcpy(&u, &f, 4);
    if ((u & 0x7fffffffu) > 0x7f800000u) u = 0x7fc00000u;
    else u = ((u + 0x7fffu + ((u >> 16) & 1u)) >> 16) << 16;
    memcpy(&f, &u, 4);
    return f;
}

static inline uint16_t bf16_bits(float f) {
    f = bf16_round(f);
    uint32_t u;
    memcpy(&u, &f, 4);
    return (uint16_t)(u >> 16);
}

static inline float from_bf16(uint16_t h) {
    uint32_t u = (uint32_t)h << 16;
    float f;
    memcpy(&f, &u, 4);
    return f;
}

static const vt_isa all_isas[] = {VT_ISA_PORTABLE, VT_ISA_AVX2, VT_ISA_AVX512, VT_ISA_AVX512_BF16};

#endif
