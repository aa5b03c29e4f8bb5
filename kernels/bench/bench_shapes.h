/* What the conv1d benchmarks share: the converter's conv shapes (rows per second of audio, so each bench picks its
   length) and a dense 3-d tensor view. bench_conv1d times them per ISA; bench_conv1d_ab times two library builds. */
#ifndef VT_BENCH_SHAPES_H
#define VT_BENCH_SHAPES_H

#include <string.h>

#include "voxtile_kernels.h"

typedef struct shape {
    const char* name;
    int cin, cout, k, dil;
    double len_per_s; /* output rows per second of audio */
    vt_activation act;
    int residual;
} shape;

#define VT_BENCH_FRAMES 86.1328125 /* 22050 / 256 */

/* the last shape (the 1x1 conv) has no Winograd form: `algorithms` and the A/B leave it out */
static const shape vt_bench_shapes[] = {
    {"dec.resblock s0 256ch k3 d1", 256, 256, 3, 1, 8 * VT_BENCH_FRAMES, VT_ACTIVATION_LEAKY_RELU, 0},
    {"dec.resblock s0 256ch k7 d3", 256, 256, 7, 3, 8 * VT_BENCH_FRAMES, VT_ACTIVATION_LEAKY_RELU, 0},
    {"dec.resblock s0 256ch k11 d5", 256, 256, 11, 5, 8 * VT_BENCH_FRAMES, VT_ACTIVATION_NONE, 1},
    {"dec.resblock s1 128ch k3 d1", 128, 128, 3, 1, 64 * VT_BENCH_FRAMES, VT_ACTIVATION_LEAKY_RELU, 0},
    {"dec.resblock s1 128ch k7 d3", 128, 128, 7, 3, 64 * VT_BENCH_FRAMES, VT_ACTIVATION_LEAKY_RELU, 0},
    {"dec.resblock s1 128ch k11 d5", 128, 128, 11, 5, 64 * VT_BENCH_FRAMES, VT_ACTIVATION_NONE, 1},
    {"dec.resblock s2 64ch k3 d1", 64, 64, 3, 1, 128 * VT_BENCH_FRAMES, VT_ACTIVATION_LEAKY_RELU, 0},
    {"dec.resblock s2 64ch k7 d3", 64, 64, 7, 3, 128 * VT_BENCH_FRAMES, VT_ACTIVATION_LEAKY_RELU, 0},
    {"dec.resblock s2 64ch k11 d5", 64, 64, 11, 5, 128 * VT_BENCH_FRAMES, VT_ACTIVATION_NONE, 1},
    {"dec.resblock s3 32ch k3 d1", 32, 32, 3, 1, 256 * VT_BENCH_FRAMES, VT_ACTIVATION_LEAKY_RELU, 0},
    {"dec.resblock s3 32ch k7 d3", 32, 32, 7, 3, 256 * VT_BENCH_FRAMES, VT_ACTIVATION_LEAKY_RELU, 0},
    {"dec.resblock s3 32ch k11 d5", 32, 32, 11, 5, 256 * VT_BENCH_FRAMES, VT_ACTIVATION_NONE, 1},
    {"dec.conv_pre 192->512 k7", 192, 512, 7, 1, VT_BENCH_FRAMES, VT_ACTIVATION_NONE, 0},
    {"enc_q/flow WN 192->384 k5 gate", 192, 384, 5, 1, VT_BENCH_FRAMES, VT_ACTIVATION_GATED_TANH_SIGMOID, 0},
    {"enc_q/flow 1x1 192->384", 192, 384, 1, 1, VT_BENCH_FRAMES, VT_ACTIVATION_NONE, 1},
};
enum { VT_BENCH_SHAPES = (int)(sizeof vt_bench_shapes / sizeof vt_bench_shapes[0]) };

static void tensor3(vt_tensor* t, void* data, int64_t a, int64_t b, int64_t c, vt_dtype d) {
    memset(t, 0, sizeof *t);
    t->data = data;
    t->rank = 3;
    t->shape[0] = a;
    t->shape[1] = b;
    t->shape[2] = c;
    t->strides[0] = b * c;
    t->strides[1] = c;
    t->strides[2] = 1;
    t->dtype = d;
}

#endif
