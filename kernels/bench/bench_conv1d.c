/* conv1d throughput on the HiFi-GAN shapes of OpenVoice V2's decoder (and the other converter convs), per ISA
   variant and math: GFLOP/s = 2 * Lout * Cout * Cin/groups * K / seconds (best of several runs).
   usage: bench_conv1d [seconds_of_audio (10)] [threads (0 = all cores)] [isa name filter] [algorithms]
   With "algorithms": per shape, ISA and math, direct convolution against each Winograd F(m, K), in GFLOP/s-equivalent
   (the direct convolution's flops over the time), and the tile VT_CONV1D_ALGORITHM_FASTEST picks (the table in winograd.c). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "bench_shapes.h"
#include "voxtile_kernels.h"

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

/* CPU seconds this process used (all threads): on a shared machine, flop / CPU second is the per-core rate */
static double cpu_now(void) {
    struct rusage u;
    getrusage(RUSAGE_SELF, &u);
    return (double)u.ru_utime.tv_sec + (double)u.ru_utime.tv_usec * 1e-6 + (double)u.ru_stime.tv_sec +
           (double)u.ru_stime.tv_usec * 1e-6;
}

#define CHECK(x)                                                                                                      \
    do {                                                                                                              \
        if ((x) != VT_STATUS_OK) {                                                                                    \
            fprintf(stderr, "%s: %s\n", #x, vt_last_error());                                                         \
            exit(1);                                                                                                  \
        }                                                                                                             \
    } while (0)

/* HiFi-GAN's upsampling layers (polyphase conv_transpose1d); GFLOP/s = 2 * Lin * Cin * Cout * K / s, the useful work */
static void bench_upsampling(double seconds, const char* only, const vt_isa* isas) {
    const struct {
        const char* name;
        int cin, cout, k, stride, pad;
        double len_per_s;
    } ups[] = {
        {"dec.ups.0 512->256 k16 s8", 512, 256, 16, 8, 4, 86.1328125},
        {"dec.ups.1 256->128 k16 s8", 256, 128, 16, 8, 4, 8 * 86.1328125},
        {"dec.ups.2 128->64 k4 s2", 128, 64, 4, 2, 1, 64 * 86.1328125},
        {"dec.ups.3 64->32 k4 s2", 64, 32, 4, 2, 1, 128 * 86.1328125},
    };
    for (int u = 0; u < 4; ++u) {
        const int64_t lin = (int64_t)(ups[u].len_per_s * seconds);
        const int64_t lout = (lin - 1) * ups[u].stride - 2 * ups[u].pad + ups[u].k;
        uint16_t* x = calloc((size_t)(lin * ups[u].cin), 2);
        uint16_t* y = calloc((size_t)(lout * ups[u].cout), 2);
        float* w = malloc(sizeof(float) * (size_t)(ups[u].cin * ups[u].cout * ups[u].k));
        for (int64_t i = 0; i < (int64_t)ups[u].cin * ups[u].cout * ups[u].k; ++i) w[i] = (float)(i % 7) * 0.01f;
        printf("%-34s %8lld", ups[u].name, (long long)lout);
        for (int i = 0; i < 4; ++i) {
            if (!vt_isa_supported(isas[i]) || isas[i] == VT_ISA_PORTABLE || (only && !strstr(vt_isa_name(isas[i]), only))) continue;
            CHECK(vt_set_isa(isas[i]));
            vt_tensor xt, yt, wt;
            tensor3(&xt, x, 1, lin, ups[u].cin, VT_DTYPE_BF16);
            tensor3(&yt, y, 1, lout, ups[u].cout, VT_DTYPE_BF16);
            tensor3(&wt, w, ups[u].cin, ups[u].cout, ups[u].k, VT_DTYPE_F32);
            vt_conv_transpose1d_params p = {ups[u].stride, 1, ups[u].pad, 0, VT_ACTIVATION_NONE, 0.0f};
            vt_weights* wp;
            CHECK(vt_conv_transpose_weights_create(&wt, 1, &p, VT_DTYPE_BF16, &wp));
            CHECK(vt_conv_transpose1d(&xt, wp, NULL, NULL, &p, &yt));
            double best = 1e30;
            for (int rep = 0; rep < 5; ++rep) {
                double t0 = now();
                CHECK(vt_conv_transpose1d(&xt, wp, NULL, NULL, &p, &yt));
                if (now() - t0 < best) best = now() - t0;
            }
            vt_weights_destroy(wp);
            printf("  %s/bf16 %8.1f", vt_isa_name(isas[i]), 2.0 * (double)lin * ups[u].cin * ups[u].cout * ups[u].k / best * 1e-9);
        }
        printf("\n");
        free(x), free(y), free(w);
    }
}

typedef struct shape_list {
    const shape* s;
    int n;
} shape_list;

static double time_conv(const vt_tensor* x, const vt_weights* w, const vt_tensor* b, const vt_tensor* r,
                        const vt_conv1d_params* p, const vt_tensor* y, double* cpu) {
    CHECK(vt_conv1d(x, w, b, r, p, y));
    double best = 1e30, best_cpu = 1e30, spent = 0;
    for (int rep = 0; rep < 20 && (rep < 3 || spent < 0.4); ++rep) {
        double t0 = now(), c0 = cpu_now();
        CHECK(vt_conv1d(x, w, b, r, p, y));
        double dt = now() - t0, dc = cpu_now() - c0;
        spent += dt;
        if (dt < best) best = dt;
        if (dc > 0 && dc < best_cpu) best_cpu = dc;
    }
    *cpu = best_cpu;
    return best;
}

/* direct against each tabulated Winograd tile, bf16 storage and math (the device mode) and f32 */
static void bench_algorithms(double seconds, const char* only, shape_list list) {
    static const int tiles[] = {2, 4, 6};
    const vt_isa isas[] = {VT_ISA_AVX2, VT_ISA_AVX512, VT_ISA_AVX512_BF16};
    printf("GFLOP/s-equivalent (direct flops / wall time; per busy core in parentheses), %.1f s of audio, %d threads\n",
           seconds, vt_thread_count());
    printf("%-34s %-12s %15s %15s %15s %15s  %s\n", "shape", "isa/math", "direct", "F(2,K)", "F(4,K)", "F(6,K)", "fastest");
    for (int s = 0; s < list.n; ++s) {
        const shape* sh = &list.s[s];
        const int64_t lout = (int64_t)(sh->len_per_s * seconds);
        const int pad = sh->dil * (sh->k - 1) / 2;
        const int cout_out = sh->act == VT_ACTIVATION_GATED_TANH_SIGMOID ? sh->cout / 2 : sh->cout;
        float* w = malloc(sizeof(float) * (size_t)(sh->cout * sh->cin * sh->k));
        float* b = calloc((size_t)sh->cout, sizeof(float));
        float* x = malloc(sizeof(float) * (size_t)(lout * sh->cin));
        float* y = malloc(sizeof(float) * (size_t)(lout * cout_out));
        float* r = calloc((size_t)(lout * cout_out), sizeof(float));
        unsigned seed = 1;
        for (int64_t i = 0; i < lout * sh->cin; ++i) x[i] = (float)((seed = seed * 1103515245u + 12345u) >> 16) / 65536.0f - 0.5f;
        for (int64_t i = 0; i < (int64_t)sh->cout * sh->cin * sh->k; ++i)
            w[i] = ((float)((seed = seed * 1103515245u + 12345u) >> 16) / 65536.0f - 0.5f) * 0.1f;
        uint16_t* xh = malloc(2 * (size_t)(lout * sh->cin));
        uint16_t* yh = malloc(2 * (size_t)(lout * cout_out));
        uint16_t* rh = calloc((size_t)(lout * cout_out), 2);
        CHECK(vt_f32_to_bf16(x, xh, lout * sh->cin));
        const double flop = 2.0 * (double)lout * sh->cout * sh->cin * sh->k;
        for (int i = 0; i < 3; ++i) {
            if (!vt_isa_supported(isas[i]) || (only && !strstr(vt_isa_name(isas[i]), only))) continue;
            CHECK(vt_set_isa(isas[i]));
            for (int m = 0; m < 2; ++m) {
                const vt_dtype math = m == 0 ? VT_DTYPE_BF16 : VT_DTYPE_F32;
                vt_tensor wt, xt, yt, rt, bt;
                tensor3(&wt, w, sh->cout, sh->cin, sh->k, VT_DTYPE_F32);
                tensor3(&bt, b, 1, 1, sh->cout, VT_DTYPE_F32);
                bt.rank = 1, bt.shape[0] = sh->cout, bt.strides[0] = 1;
                const vt_dtype io = math;
                tensor3(&xt, io == VT_DTYPE_BF16 ? (void*)xh : (void*)x, 1, lout, sh->cin, io);
                tensor3(&yt, io == VT_DTYPE_BF16 ? (void*)yh : (void*)y, 1, lout, cout_out, io);
                tensor3(&rt, io == VT_DTYPE_BF16 ? (void*)rh : (void*)r, 1, lout, cout_out, io);
                vt_weights* wp;
                CHECK(vt_weights_create(&wt, 1, math, &wp));
                vt_conv1d_params p = {1, sh->dil, pad, pad, VT_ACTIVATION_LEAKY_RELU, 0.1f, sh->act, 0.1f, NULL, NULL,
                                      VT_CONV1D_ALGORITHM_DIRECT, 0};
                if (sh->k == 1) p.input_activation = VT_ACTIVATION_NONE;
                char label[32];
                snprintf(label, sizeof label, "%s/%s", vt_isa_name(isas[i]), m == 0 ? "bf16" : "f32");
                printf("%-34s %-12s", sh->name, label);
                double cpu, t = time_conv(&xt, wp, &bt, sh->residual ? &rt : NULL, &p, &yt, &cpu);
                printf(" %6.1f (%6.1f)", flop / t * 1e-9, flop / cpu * 1e-9);
                for (int j = 0; j < 3; ++j) {
                    p.algorithm = VT_CONV1D_ALGORITHM_WINOGRAD;
                    p.winograd_m = tiles[j];
                    if (vt_winograd_error_factor(tiles[j], sh->k) == 0.0) {
                        printf(" %15s", "-");
                        continue;
                    }
                    t = time_conv(&xt, wp, &bt, sh->residual ? &rt : NULL, &p, &yt, &cpu);
                    printf(" %6.1f (%6.1f)", flop / t * 1e-9, flop / cpu * 1e-9);
                }
                p.algorithm = VT_CONV1D_ALGORITHM_FASTEST;
                const int pick = vt_conv1d_winograd_tile(wp, &p);
                if (pick)
                    printf("  F(%d,%d)\n", pick, sh->k);
                else
                    printf("  direct\n");
                fflush(stdout);
                vt_weights_destroy(wp);
            }
        }
        free(w), free(b), free(x), free(y), free(r), free(xh), free(yh), free(rh);
    }
}

int main(int argc, char** argv) {
    double seconds = argc > 1 ? atof(argv[1]) : 10.0;
    int threads = argc > 2 ? atoi(argv[2]) : 0;
    const char* only = argc > 3 ? argv[3] : NULL;
    CHECK(vt_init(threads));
    const shape* shapes = vt_bench_shapes;
    const int nshapes = VT_BENCH_SHAPES;
    if (argc > 4 && strcmp(argv[4], "algorithms") == 0) {
        bench_algorithms(seconds, only && *only ? only : NULL, (shape_list){shapes, nshapes - 1});
        return 0;
    }
    printf("conv1d GFLOP/s, %.1f s of audio, %d threads: wall-clock rate (rate per CPU-second, i.e. per busy core)\n",
           seconds, vt_thread_count());
    printf("%-34s %8s", "shape", "rows");
    const vt_isa isas[] = {VT_ISA_PORTABLE, VT_ISA_AVX2, VT_ISA_AVX512, VT_ISA_AVX512_BF16};
    for (int i = 0; i < 4; ++i)
        if (vt_isa_supported(isas[i]) && (!only || strstr(vt_isa_name(isas[i]), only))) {
            printf(" %17s", vt_isa_name(isas[i]));
            printf("/bf16");
            if (isas[i] != VT_ISA_AVX512_BF16) printf(" %17s/f32 ", vt_isa_name(isas[i]));
        }
    printf("\n");
    double total_flop[8] = {0}, total_time[8] = {0};
    for (int s = 0; s < nshapes; ++s) {
        const shape* sh = &shapes[s];
        const int64_t lout = (int64_t)(sh->len_per_s * seconds);
        const int pad = sh->dil * (sh->k - 1) / 2;
        const int cout_out = sh->act == VT_ACTIVATION_GATED_TANH_SIGMOID ? sh->cout / 2 : sh->cout;
        const double flop = 2.0 * (double)lout * sh->cout * sh->cin * sh->k;
        float* x = malloc(sizeof(float) * (size_t)(lout * sh->cin));
        float* y = malloc(sizeof(float) * (size_t)(lout * cout_out));
        float* r = malloc(sizeof(float) * (size_t)(lout * cout_out));
        float* w = malloc(sizeof(float) * (size_t)(sh->cout * sh->cin * sh->k));
        float* b = malloc(sizeof(float) * (size_t)sh->cout);
        uint16_t* xh = malloc(2 * (size_t)(lout * sh->cin));
        uint16_t* yh = malloc(2 * (size_t)(lout * cout_out));
        uint16_t* rh = malloc(2 * (size_t)(lout * cout_out));
        unsigned seed = 1;
        for (int64_t i = 0; i < lout * sh->cin; ++i) x[i] = (float)((seed = seed * 1103515245u + 12345u) >> 16) / 65536.0f - 0.5f;
        for (int64_t i = 0; i < (int64_t)sh->cout * sh->cin * sh->k; ++i)
            w[i] = ((float)((seed = seed * 1103515245u + 12345u) >> 16) / 65536.0f - 0.5f) * 0.1f;
        for (int i = 0; i < sh->cout; ++i) b[i] = 0.01f * (float)i;
        for (int64_t i = 0; i < lout * cout_out; ++i) r[i] = 0.5f;
        CHECK(vt_f32_to_bf16(x, xh, lout * sh->cin));
        CHECK(vt_f32_to_bf16(r, rh, lout * cout_out));
        printf("%-34s %8lld", sh->name, (long long)lout);
        fflush(stdout);
        int col = 0;
        for (int i = 0; i < 4; ++i) {
            if (!vt_isa_supported(isas[i]) || (only && !strstr(vt_isa_name(isas[i]), only))) continue;
            CHECK(vt_set_isa(isas[i]));
            for (int m = 0; m < 2; ++m) {
                if (m == 1 && isas[i] == VT_ISA_AVX512_BF16) continue;
                const vt_dtype math = m == 0 ? VT_DTYPE_BF16 : VT_DTYPE_F32;
                vt_tensor wt, xt, yt, rt, bt;
                tensor3(&wt, w, sh->cout, sh->cin, sh->k, VT_DTYPE_F32);
                memset(&bt, 0, sizeof bt);
                bt.data = b;
                bt.rank = 1;
                bt.shape[0] = sh->cout;
                bt.strides[0] = 1;
                bt.dtype = VT_DTYPE_F32;
                if (math == VT_DTYPE_BF16) {
                    tensor3(&xt, xh, 1, lout, sh->cin, VT_DTYPE_BF16);
                    tensor3(&yt, yh, 1, lout, cout_out, VT_DTYPE_BF16);
                    tensor3(&rt, rh, 1, lout, cout_out, VT_DTYPE_BF16);
                } else {
                    tensor3(&xt, x, 1, lout, sh->cin, VT_DTYPE_F32);
                    tensor3(&yt, y, 1, lout, cout_out, VT_DTYPE_F32);
                    tensor3(&rt, r, 1, lout, cout_out, VT_DTYPE_F32);
                }
                vt_weights* wp;
                CHECK(vt_weights_create(&wt, 1, math, &wp));
                vt_conv1d_params p = {1, sh->dil, pad, pad, VT_ACTIVATION_LEAKY_RELU, 0.1f, sh->act, 0.1f, NULL, NULL};
                if (sh->k == 1) p.input_activation = VT_ACTIVATION_NONE;
                /* the portable variant is slow: time it on a slice of the rows */
                if (isas[i] == VT_ISA_PORTABLE) {
                    int64_t lr = lout < 4096 ? lout : 4096;
                    xt.shape[1] = lr;
                    yt.shape[1] = lr;
                    rt.shape[1] = lr;
                }
                const double f = 2.0 * (double)yt.shape[1] * sh->cout * sh->cin * sh->k;
                CHECK(vt_conv1d(&xt, wp, &bt, sh->residual ? &rt : NULL, &p, &yt));
                double best = 1e30, best_cpu = 1e30, spent = 0;
                for (int rep = 0; rep < 20 && (rep < 3 || spent < 0.5); ++rep) {
                    double t0 = now(), c0 = cpu_now();
                    CHECK(vt_conv1d(&xt, wp, &bt, sh->residual ? &rt : NULL, &p, &yt));
                    double dt = now() - t0, dc = cpu_now() - c0;
                    spent += dt;
                    if (dt < best) best = dt;
                    if (dc > 0 && dc < best_cpu) best_cpu = dc;
                }
                vt_weights_destroy(wp);
                printf(" %8.1f (%6.1f)", f / best * 1e-9, f / best_cpu * 1e-9);
                fflush(stdout);
                if (s < 12) {
                    total_flop[col] += f * (flop / f);
                    total_time[col] += best * (flop / f);
                }
                ++col;
            }
        }
        printf("\n");
        free(x), free(y), free(r), free(w), free(b), free(xh), free(yh), free(rh);
    }
    printf("%-34s %8s", "resblocks (equal mix of k3/k7/k11)", "");
    for (int c = 0; c < 8 && total_time[c] > 0; ++c) printf(" %8.1f %8s", total_flop[c] / total_time[c] * 1e-9, "");
    printf("\n");
    bench_upsampling(seconds, only, isas);
    return 0;
}
