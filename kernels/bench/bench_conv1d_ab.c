/* A/B of two builds of libvoxtile_kernels (say the base commit's and yours) in one process: both loaded with dlopen
   RTLD_LOCAL on one thread, their calls interleaved (ABAB, then BABA), so that a shared, loaded machine slows both
   alike; GFLOP/s-equivalent (the direct convolution's flops) over the median thread CPU time of `reps` calls, per
   shape, ISA and math, for direct and for FASTEST (each build's own pick, printed as m / m, 0 = direct).
   usage: bench_conv1d_ab libA.so libB.so [reps (11)] [avx2|avx512|avx512_bf16|""] [shape name filter] */
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench_shapes.h"
#include "voxtile_kernels.h"
typedef struct lib {
    vt_status (*init)(int32_t);
    vt_status (*set_isa)(vt_isa);
    int (*supported)(vt_isa);
    vt_status (*wcreate)(const vt_tensor*, int32_t, vt_dtype, vt_weights**);
    void (*wdestroy)(vt_weights*);
    vt_status (*conv)(const vt_tensor*, const vt_weights*, const vt_tensor*, const vt_tensor*, const vt_conv1d_params*,
                      const vt_tensor*);
    int32_t (*tile)(const vt_weights*, const vt_conv1d_params*);
    vt_status (*tobf16)(const float*, uint16_t*, int64_t);
} lib;
static void load(lib* l, const char* path) {
    void* h = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    if (!h) {
        fprintf(stderr, "%s\n", dlerror());
        exit(1);
    }
    l->init = dlsym(h, "vt_init");
    l->set_isa = dlsym(h, "vt_set_isa");
    l->supported = dlsym(h, "vt_isa_supported");
    l->wcreate = dlsym(h, "vt_weights_create");
    l->wdestroy = dlsym(h, "vt_weights_destroy");
    l->conv = dlsym(h, "vt_conv1d");
    l->tile = dlsym(h, "vt_conv1d_winograd_tile");
    l->tobf16 = dlsym(h, "vt_f32_to_bf16");
}
static double tcpu(void) {
    struct timespec t;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}
static int cmpd(const void* a, const void* b) {
    double x = *(const double*)a, y = *(const double*)b;
    return x < y ? -1 : x > y;
}
int main(int argc, char** argv) {
    if (argc < 3) {
        fprintf(stderr, "usage: bench_conv1d_ab libA.so libB.so [reps] [avx2|avx512|avx512_bf16|\"\"] [shape name filter]\n");
        return 2;
    }
    lib L[2];
    load(&L[0], argv[1]);
    load(&L[1], argv[2]);
    const int reps = argc > 3 ? atoi(argv[3]) : 11;
    const char* only = argc > 4 && argv[4][0] ? argv[4] : NULL;
    const char* filter = argc > 5 && argv[5][0] ? argv[5] : NULL;
    for (int i = 0; i < 2; ++i) L[i].init(1);
    const double seconds = 2.0; /* of audio: each shape at vt_bench_shapes' rows per second times this */
    /* avx512_bf16 in bf16 math: FASTEST is direct (vdpbf16ps), so its second column forces Winograd at the tile the
       avx512 table picks for the same weights: whether Winograd's fp32 products beat bf16 dot products there is what
       a machine with that ISA has to measure before the table gets rows for it */
    const vt_isa isas[] = {VT_ISA_AVX2, VT_ISA_AVX512, VT_ISA_AVX512_BF16};
    const char* in[] = {"avx2", "avx512", "avx512_bf16"};
    printf("%-30s %-12s %21s %21s  %s\n", "shape", "isa/math", "direct A → B", "FASTEST A → B", "picks A / B");
    for (int ii = 0; ii < 3; ++ii) {
        if (!L[0].supported(isas[ii]) || (only && strcmp(only, in[ii]))) continue;
        for (int s = 0; s < VT_BENCH_SHAPES - 1; ++s) {
            const shape* sh = &vt_bench_shapes[s];
            if (filter && !strstr(sh->name, filter)) continue;
            const int64_t lout = (int64_t)(sh->len_per_s * seconds);
            const int pad = sh->dil * (sh->k - 1) / 2;
            const int co = sh->act == VT_ACTIVATION_GATED_TANH_SIGMOID ? sh->cout / 2 : sh->cout;
            float* w = malloc(4 * (size_t)sh->cout * sh->cin * sh->k);
            float* b = calloc(sh->cout, 4);
            float* x = malloc(4 * (size_t)lout * sh->cin);
            float* y = malloc(4 * (size_t)lout * co);
            uint16_t* xh = malloc(2 * (size_t)lout * sh->cin);
            uint16_t* yh = malloc(2 * (size_t)lout * co);
            unsigned seed = 1;
            for (int64_t i = 0; i < lout * sh->cin; ++i)
                x[i] = (float)((seed = seed * 1103515245u + 12345u) >> 16) / 65536.0f - 0.5f;
            for (int64_t i = 0; i < (int64_t)sh->cout * sh->cin * sh->k; ++i)
                w[i] = ((float)((seed = seed * 1103515245u + 12345u) >> 16) / 65536.0f - 0.5f) * 0.1f;
            L[0].tobf16(x, xh, lout * sh->cin);
            const double flop = 2.0 * lout * sh->cout * sh->cin * sh->k;
            for (int mm = 0; mm < 2; ++mm) {
                const vt_dtype math = mm ? VT_DTYPE_F32 : VT_DTYPE_BF16;
                vt_tensor wt, xt, yt, bt;
                tensor3(&wt, w, sh->cout, sh->cin, sh->k, VT_DTYPE_F32);
                tensor3(&bt, b, 1, 1, sh->cout, VT_DTYPE_F32);
                bt.rank = 1;
                bt.shape[0] = sh->cout;
                bt.strides[0] = 1;
                tensor3(&xt, mm ? (void*)x : (void*)xh, 1, lout, sh->cin, math);
                tensor3(&yt, mm ? (void*)y : (void*)yh, 1, lout, co, math);
                vt_weights* wp[2];
                int pick[2];
                double med[2][2];
                for (int l = 0; l < 2; ++l) {
                    L[l].set_isa(isas[ii]);
                    L[l].wcreate(&wt, 1, math, &wp[l]);
                }
                for (int algo = 0; algo < 2; ++algo) {
                    vt_conv1d_params p = {1,
                                          sh->dil,
                                          pad,
                                          pad,
                                          VT_ACTIVATION_LEAKY_RELU,
                                          0.1f,
                                          sh->act,
                                          0.1f,
                                          NULL,
                                          NULL,
                                          algo ? VT_CONV1D_ALGORITHM_FASTEST : VT_CONV1D_ALGORITHM_DIRECT,
                                          0};
                    double* t[2] = {malloc(8 * reps), malloc(8 * reps)};
                    if (algo && isas[ii] == VT_ISA_AVX512_BF16 && math == VT_DTYPE_BF16) {
                        L[0].set_isa(VT_ISA_AVX512);
                        p.winograd_m = L[0].tile(wp[0], &p);
                        L[0].set_isa(isas[ii]);
                        p.algorithm = p.winograd_m ? VT_CONV1D_ALGORITHM_WINOGRAD : VT_CONV1D_ALGORITHM_DIRECT;
                    }
                    for (int l = 0; l < 2; ++l) {
                        pick[l] = p.algorithm == VT_CONV1D_ALGORITHM_WINOGRAD ? p.winograd_m : L[l].tile(wp[l], &p);
                        L[l].conv(&xt, wp[l], &bt, NULL, &p, &yt);
                    }
                    for (int r = 0; r < reps; ++r)
                        for (int l0 = 0; l0 < 2; ++l0) {
                            const int l = (r & 1) ? 1 - l0 : l0;
                            const double c0 = tcpu();
                            L[l].conv(&xt, wp[l], &bt, NULL, &p, &yt);
                            t[l][r] = tcpu() - c0;
                        }
                    for (int l = 0; l < 2; ++l) {
                        qsort(t[l], reps, 8, cmpd);
                        med[algo][l] = flop / t[l][reps / 2] * 1e-9;
                        free(t[l]);
                    }
                }
                printf("%-30s %-12s %9.0f → %-9.0f %9.0f → %-9.0f  %d / %d\n", sh->name, mm ? "f32" : "bf16", med[0][0],
                       med[0][1], med[1][0], med[1][1], pick[0], pick[1]);
                fflush(stdout);
                for (int l = 0; l < 2; ++l) L[l].wdestroy(wp[l]);
            }
            free(w);
            free(b);
            free(x);
            free(y);
            free(xh);
            free(yh);
        }
    }
    return 0;
}
