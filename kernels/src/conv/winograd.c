/* Winograd (minimal filtering) 1-D convolution F(m, r): m outputs of an r-tap filter from alpha = m + r - 1 products
   per channel pair instead of m * r. Per tile of alpha input rows (channels-last): the input transform B^T (fp32,
   from the staged bf16-rounded rows), then for each of the alpha points one GEMM over the channels with the
   transformed weights U = G g (prepared once per weights and m, rounded to fp32 from fp64) on the ISA's f32 GEMM
   tile, then the output transform A^T plus the bias, and the direct path's epilogue. A dilation d is d interleaved
   undilated convolutions (phase f reads rows f, f + d, ...): a tile reads every d-th staged row, and the d phases of
   a block of rows share one staging and one GEMM batch. Per block of 32-64 output channels the output transform runs
   right after that block's GEMMs, while the products are in L1/L2; both transforms take a whole tile per call.

   The matrices come from the Toom-Cook construction on alpha - 1 finite points and infinity: with V the
   evaluation matrix of degree alpha - 1 polynomials, B^T = V^-T, G = V restricted to r columns, A^T = the transpose
   of V restricted to m columns; rows are scaled so that B^T and G have entries of at most 1 (the scale moves into
   A^T). The points per (m, r) are the set of least error factor K = max_i sum_xi |A^T[i][xi]| * sum_k |G[xi][k]| *
   sum_j |B^T[xi][j]| (vt_winograd_error_factor) found by trying every subset with 0 of the first alpha + 3 candidates
   of 0, 1, -1, 2, -2, 1/2, -1/2, 3, -3, 1/3, -1/3, 4, -4 (alpha <= 10; for F(2, 11) the first 11 alone), and for
   F(6, 5) and F(6, 7) every subset with 0 of 0, +-1, +-2, +-1/2, +-3, +-1/3, +-4, +-1/4, +-3/2, +-2/3. */
#include "vt_winograd.h"

#include <math.h>
#include <pthread.h>
#include <stdlib.h>

enum { VT_WINO_MAX_ALPHA = 12 };

typedef struct vt_wino_points {
    int32_t m, r;
    double p[VT_WINO_MAX_ALPHA - 1]; /* alpha - 1 finite points; the last point is infinity */
} vt_wino_points;

static const vt_wino_points vt_wino_table[] = {
    {2, 3, {0, 1, -1}},
    {4, 3, {0, 2, -2, 0.5, -0.5}},
    {6, 3, {0, 1, -1, 2, -2, 0.5, -0.5}},
    {2, 5, {0, 2, -2, 0.5, -0.5}},
    {4, 5, {0, 1, -1, 3, -3, 1.0 / 3, -1.0 / 3}},
    {2, 7, {0, 1, -1, 3, -3, 1.0 / 3, -1.0 / 3}},
    {4, 7, {0, 1, -1, 2, -2, 0.5, -0.5, 1.0 / 3, -4}},
    {2, 11, {0, 1, -1, 2, -2, 0.5, -0.5, 3, -3, 1.0 / 3, -1.0 / 3}},
    /* the larger tiles, from a wider search (every subset with 0 of 0, ±1, ±2, ±1/2, ±3, ±1/3, ±4, ±1/4, ±3/2,
       ±2/3): K(6, 5) 263, K(6, 7) 856. F(8, 3) (K 239) ran no faster than F(6, 3) and is not kept */
    {6, 5, {0, 3, -3, 1.0 / 3, -1.0 / 3, 1.5, -1.5, 2.0 / 3, -2.0 / 3}},
    {6, 7, {0, 1, -1, 3, -3, 1.0 / 3, -1.0 / 3, 1.5, -1.5, 2.0 / 3, -2.0 / 3}},
};

static const vt_wino_points* vt_wino_find(int32_t m, int32_t r) {
    for (size_t i = 0; i < sizeof vt_wino_table / sizeof vt_wino_table[0]; ++i)
        if (vt_wino_table[i].m == m && vt_wino_table[i].r == r) return &vt_wino_table[i];
    return NULL;
}

/* A^T [m][alpha], G [alpha][r], B^T [alpha][alpha] in fp64 */
static void vt_wino_matrices(const vt_wino_points* pts, double* at, double* g, double* bt) {
    const int32_t m = pts->m, r = pts->r, a = m + r - 1;
    double v[VT_WINO_MAX_ALPHA][2 * VT_WINO_MAX_ALPHA];
    /* [V | I], V[j][k] = p_j^k, the infinity row picks the top coefficient */
    for (int32_t j = 0; j < a; ++j)
        for (int32_t k = 0; k < 2 * a; ++k) {
            double e = j == a - 1 ? (k == a - 1) : pow(pts->p[j], k);
            v[j][k] = k < a ? e : (k - a == j);
        }
    for (int32_t c = 0; c < a; ++c) { /* Gauss-Jordan with partial pivoting */
        int32_t piv = c;
        for (int32_t i = c + 1; i < a; ++i)
            if (fabs(v[i][c]) > fabs(v[piv][c])) piv = i;
        for (int32_t k = 0; k < 2 * a; ++k) {
            double t = v[c][k];
            v[c][k] = v[piv][k];
            v[piv][k] = t;
        }
        const double d = v[c][c];
        for (int32_t k = 0; k < 2 * a; ++k) v[c][k] /= d;
        for (int32_t i = 0; i < a; ++i) {
            if (i == c || v[i][c] == 0.0) continue;
            const double f = v[i][c];
            for (int32_t k = 0; k < 2 * a; ++k) v[i][k] -= f * v[c][k];
        }
    }
    for (int32_t x = 0; x < a; ++x) {
        /* B^T = V^-T: row x of B^T is column x of V^-1 */
        double s = 0.0;
        for (int32_t j = 0; j < a; ++j) {
            bt[x * a + j] = v[j][a + x];
            if (fabs(bt[x * a + j]) > s) s = fabs(bt[x * a + j]);
        }
        double gs = 0.0;
        for (int32_t k = 0; k < r; ++k) {
            double e = x == a - 1 ? (k == r - 1) : pow(pts->p[x], k);
            g[x * r + k] = e * s;
            if (fabs(g[x * r + k]) > gs) gs = fabs(g[x * r + k]);
        }
        for (int32_t j = 0; j < a; ++j) bt[x * a + j] /= s;
        for (int32_t k = 0; k < r; ++k) g[x * r + k] /= gs;
        for (int32_t i = 0; i < m; ++i) {
            double e = x == a - 1 ? (i == m - 1) : pow(pts->p[x], i);
            at[i * a + x] = e * gs;
        }
    }
}

/* K(m, r) of one tabulated F(m, r) */
static double vt_wino_factor(const vt_wino_points* pts) {
    const int32_t m = pts->m, r = pts->r, a = m + r - 1;
    double at[VT_WINO_MAX_ALPHA * VT_WINO_MAX_ALPHA], g[VT_WINO_MAX_ALPHA * VT_WINO_MAX_ALPHA],
        bt[VT_WINO_MAX_ALPHA * VT_WINO_MAX_ALPHA];
    vt_wino_matrices(pts, at, g, bt);
    double worst = 0.0;
    for (int32_t i = 0; i < m; ++i) {
        double k = 0.0;
        for (int32_t x = 0; x < a; ++x) {
            double gs = 0.0, bs = 0.0;
            for (int32_t j = 0; j < r; ++j) gs += fabs(g[x * r + j]);
            for (int32_t j = 0; j < a; ++j) bs += fabs(bt[x * a + j]);
            k += fabs(at[i * a + x]) * gs * bs;
        }
        if (k > worst) worst = k;
    }
    return worst;
}

/* F(m, K) as one tabulated F(m, r) over a run of taps; K 11 at m = 4 and 6 (alpha 14 and 16 have no accurate point
   set) is split: F(m, 7) over taps 0-6 plus F(m, 5) over taps 7-10 and a zero tap, summed in fp32 before the epilogue.
   At m = 4 that is 18 products per 4 outputs (F(2, 11): 24, direct: 44) and K = K(4, 7) + K(4, 5) = 480 (F(2, 11):
   1520); at m = 6, 22 per 6 and K = 1119: each part's error is within its own bound over its taps, and the sum adds
   one rounding, which the bound's + 4 covers. */
enum { VT_WINO_MAX_PARTS = 2 };

typedef struct vt_wino_part {
    const vt_wino_points* pts;
    int32_t tap0; /* the part's first filter tap; taps past K are zero */
} vt_wino_part;

static int32_t vt_wino_parts(int32_t m, int32_t r, vt_wino_part* parts) {
    const vt_wino_points* whole = vt_wino_find(m, r);
    if (whole) {
        parts[0] = (vt_wino_part){whole, 0};
        return 1;
    }
    if ((m == 4 || m == 6) && r == 11) {
        parts[0] = (vt_wino_part){vt_wino_find(m, 7), 0};
        parts[1] = (vt_wino_part){vt_wino_find(m, 5), 7};
        return 2;
    }
    return 0;
}

double vt_winograd_error_factor(int32_t m, int32_t r) {
    vt_wino_part parts[VT_WINO_MAX_PARTS];
    const int32_t n = vt_wino_parts(m, r, parts);
    double k = 0.0;
    for (int32_t i = 0; i < n; ++i) k += vt_wino_factor(parts[i].pts);
    return k;
}

typedef struct vt_wino_tile {
    int32_t r, alpha, tap0;
    vt_wino_rows at, bt; /* A^T [m][alpha], B^T [alpha][alpha] in fp32, their nonzero terms */
    float* u; /* transformed weights [nv][alpha][cin_pad][16], the f32 GEMM tile's panel order with alpha taps */
} vt_wino_tile;

struct vt_winograd {
    int32_t m, parts;
    int32_t reach;     /* taps the parts span (K, or K + 1 with a zero tap) */
    int32_t alpha_max; /* the largest part's alpha: its scratch sizes */
    vt_wino_tile part[VT_WINO_MAX_PARTS];
    struct vt_winograd* next;
};

void vt_winograd_release(struct vt_winograd* list) {
    while (list) {
        struct vt_winograd* next = list->next;
        for (int32_t i = 0; i < list->parts; ++i) free(list->part[i].u);
        free(list);
        list = next;
    }
}

/* weight [co][c][k] (bf16-rounded in bf16 math) from whichever panel format the weights hold (one group) */
static float vt_wino_weight(const struct vt_weights* w, int32_t co, int32_t c, int32_t k) {
    const int64_t blk = ((int64_t)(co / 16) * w->taps + k) * w->cin_pad * 16;
    if (w->packed_f32) return w->packed_f32[blk + (int64_t)c * 16 + co % 16];
    return vt_bf16_bits_to_f32(w->packed_bf16[blk + ((int64_t)(c / 2) * 16 + co % 16) * 2 + (c & 1)]);
}

/* a transform's fp64 rows [rows][terms] rounded to fp32, without the coefficients that round to zero */
static void vt_wino_sparse(const double* mat, int32_t rows, int32_t terms, vt_wino_rows* out) {
    for (int32_t o = 0; o < rows; ++o) {
        out->nnz[o] = 0;
        for (int32_t j = 0; j < terms; ++j) {
            const float k = (float)mat[o * terms + j];
            if (k == 0.0f) continue;
            out->term[o][out->nnz[o]] = j;
            out->coef[o][out->nnz[o]++] = k;
        }
    }
}

/* U = G g for one panel of 16 output channels: [alpha][cin_pad][16], each value summed over the taps in fp64 in tap
   order and rounded once; the panels are independent, so the pool makes them side by side (on first use this was
   most of the converter's warm-up run when it was one loop reading each weight alpha times) */
typedef struct vt_wino_u_job {
    const struct vt_weights* w;
    const double* g;
    float* u;
    int32_t alpha, r, tap0;
} vt_wino_u_job;

static void vt_wino_u_task(void* ctx, int64_t nv, int32_t thread) {
    (void)thread;
    const vt_wino_u_job* j = ctx;
    const struct vt_weights* w = j->w;
    const int32_t a = j->alpha, r = j->r, taps = w->kw - j->tap0 < r ? w->kw - j->tap0 : r;
    float* u = j->u + nv * a * w->cin_pad * 16;
    double wk[VT_WINO_MAX_ALPHA];
    for (int32_t c = 0; c < w->cin_pad; ++c)
        for (int32_t l = 0; l < 16; ++l) {
            for (int32_t k = 0; k < taps; ++k) wk[k] = vt_wino_weight(w, (int32_t)nv * 16 + l, c, j->tap0 + k);
            for (int32_t x = 0; x < a; ++x) {
                double sum = 0.0;
                for (int32_t k = 0; k < taps; ++k) sum += j->g[x * r + k] * wk[k];
                u[((int64_t)x * w->cin_pad + c) * 16 + l] = (float)sum;
            }
        }
}

/* the F(m, K) transforms and transformed weights of w, made on first use and kept with the weights */
static vt_status vt_winograd_get(const struct vt_weights* cw, int32_t m, const struct vt_winograd** out) {
    struct vt_weights* w = (struct vt_weights*)cw; /* the transformed weights are a cache */
    pthread_mutex_lock((pthread_mutex_t*)w->lock);
    struct vt_winograd* wg = w->winograd;
    while (wg && wg->m != m) wg = wg->next;
    vt_status st = VT_STATUS_OK;
    if (!wg) {
        vt_wino_part parts[VT_WINO_MAX_PARTS];
        const int32_t n = vt_wino_parts(m, w->kw, parts);
        wg = calloc(1, sizeof *wg);
        if (!wg) st = vt_oom(sizeof *wg);
        for (int32_t pi = 0; wg && pi < n; ++pi) {
            const vt_wino_points* pts = parts[pi].pts;
            const int32_t a = m + pts->r - 1, r = pts->r, tap0 = parts[pi].tap0;
            const size_t bytes = (size_t)w->nv_g * a * w->cin_pad * 16 * sizeof(float);
            vt_wino_tile* tl = &wg->part[pi];
            float* u = vt_malloc(bytes);
            if (!u) {
                vt_winograd_release(wg);
                wg = NULL;
                st = vt_oom(bytes);
                break;
            }
            tl->u = u;
            wg->parts = pi + 1;
            double at[VT_WINO_MAX_ALPHA * VT_WINO_MAX_ALPHA], g[VT_WINO_MAX_ALPHA * VT_WINO_MAX_ALPHA],
                bt[VT_WINO_MAX_ALPHA * VT_WINO_MAX_ALPHA];
            vt_wino_matrices(pts, at, g, bt);
            tl->r = r;
            tl->alpha = a;
            tl->tap0 = tap0;
            vt_wino_sparse(at, m, a, &tl->at);
            vt_wino_sparse(bt, a, a, &tl->bt);
            vt_wino_u_job uj = {w, g, u, a, r, tap0};
            vt_parallel_for(w->nv_g, vt_wino_u_task, &uj);
            if (tap0 + r > wg->reach) wg->reach = tap0 + r;
            if (a > wg->alpha_max) wg->alpha_max = a;
        }
        if (wg) {
            wg->m = m;
            wg->next = w->winograd;
            w->winograd = wg;
        }
    }
    pthread_mutex_unlock((pthread_mutex_t*)w->lock);
    *out = wg;
    return st;
}

int vt_winograd_applies(const struct vt_weights* w, const vt_conv1d_params* p, int32_t m) {
    vt_wino_part parts[VT_WINO_MAX_PARTS];
    return w->groups == 1 && w->kh == 1 && !w->transposed && p->stride == 1 && vt_wino_parts(m, w->kw, parts) > 0;
}

/* The speed table: per ISA and kernel size, the least channel count (Cin and Cout) where Winograd beat direct
   convolution, and the tiles in order of speed, measured with `bench_conv1d 2 1 "" algorithms` on an AVX-512 Xeon
   (AVX2 forced for the avx2 rows) in GFLOP/s-equivalent per busy core; the figures are in kernels/README.md. Below the
   channel counts the transforms (alpha^2 / m adds per input channel, memory-bound) cost more than the products they
   save. The portable variant (a reference) and bf16 dot products (vdpbf16ps: twice the fp32 rate) stay direct. The
   first row of an ISA and size whose channel count is reached decides, so a size may have rows for wider shapes first. */
typedef struct vt_wino_speed {
    vt_isa isa;
    int32_t r, min_channels, m[4]; /* m fastest first, 0 ends */
} vt_wino_speed;

static const vt_wino_speed vt_wino_speeds[] = {
    /* AVX-512 with the tile-wide transforms, one thread, bf16 / f32: 64 ch k3 F(6,3) 154 / 134 against direct
       138 / 119; the split F(4, 11) 255 / 243 against F(2, 11) 195 / 189 at 128 ch and 195 / 190 against direct
       154 / 149 at 64 ch; 32 ch stays direct (k7 d3: F(4,7) 109 against 124). The larger tiles (A/B against F(4, K)
       in one process, bf16 / f32): F(6, 7) 317 / 276 against 270 / 237 at 128 ch k7 d3, 241 / 216 against 219 / 203
       at 64 ch; F(6, 11) 280 / 271 against 245 / 244 at 256 ch, 280 / 244 against 249 / 220 at 128 ch, 182 / 203
       against 178 / 199 at 64 ch. The 861-row convs measured at their own length on 2 threads (`bench_conv1d 10 2
       avx512 algorithms`, 2 runs, bf16 / f32 wall): conv_pre F(6, 7) 711-723 / 693-704 against F(4, 7) 627-662 /
       597-639, the flow's WN F(6, 5) 463-581 / 481-503 against F(4, 5) 445-549 / 438-491 (at 172 rows on one
       thread the A/B had them the other way round) */
    {VT_ISA_AVX512, 3, 64, {6, 4, 2}},
    {VT_ISA_AVX512, 5, 128, {6, 4, 2}},
    {VT_ISA_AVX512, 7, 64, {6, 4, 2}},
    {VT_ISA_AVX512, 11, 64, {6, 4, 2}},
    /* AVX2 with the tile-wide transforms (vt_wino_transform_f32), one thread, bf16 / f32: 64 ch k3 F(6,3) 111 / 102
       against direct 85 / 76; 32 ch k7 d3 F(4,7) 104 / 98 against 89 / 85; 32 ch k11 d5 F(4,11) 96 / 96 against
       92 / 88; 32 ch k3 stays direct (73 against F(6,3) 69). The larger tiles: F(6, 7) 146 / 146 against 116 / 123
       at 128 ch k7 d3, 113 / 117 against 100 / 104 at 64 ch, 80 / 105 against 74 / 97 at 32 ch, but 98 / 136
       against 113 / 146 on conv_pre; F(6, 11) 178 / 186 against 170 / 157 at 256 ch, 204 / 195 against 181 / 173
       at 128 ch, 111 / 163 against 107 / 147 at 64 ch, 107 / 95 against 94 / 89 at 32 ch; at 861 rows on 2 threads
       (`bench_conv1d 10 2 avx2 algorithms`, 2 runs): conv_pre F(6, 7) 415-482 / 401-497 against F(4, 7) 358-441 /
       336-431, WN F(6, 5) 337-412 / 337-403 against F(4, 5) 303-373 / 301-359 */
    {VT_ISA_AVX2, 3, 64, {6, 4, 2}},
    {VT_ISA_AVX2, 5, 128, {6, 4, 2}},
    {VT_ISA_AVX2, 7, 32, {6, 4, 2}},
    {VT_ISA_AVX2, 11, 32, {6, 4, 2}},
};

/* the error bound's test: the worst-case error of F(m, r) over Cin channels at most 2^-9 (half a bf16 unit in the
   last place) of the receptive field's scale r * sum_c max|w| max|x| */
static int vt_wino_accurate(int32_t m, int32_t r, int32_t cin) {
    const double u = ldexp(1.0, -24), n = cin + 2.0 * (m + r - 1) + 4.0;
    return vt_winograd_error_factor(m, r) * n * u / (1.0 - n * u) <= ldexp(1.0, -9) * r;
}

int32_t vt_winograd_choose(const struct vt_weights* w, const vt_conv1d_params* p) {
    const vt_kernel_table* kt = vt_kernels();
    if (w->math == VT_DTYPE_BF16 && kt->gemm_bf16.format == VT_PANEL_BF16) return 0;
    /* AVX512-BF16's f32 path is AVX-512's */
    const vt_isa isa = kt->isa == VT_ISA_AVX512_BF16 ? VT_ISA_AVX512 : kt->isa;
    const int32_t channels = w->cout < w->cin_g ? w->cout : w->cin_g;
    for (size_t i = 0; i < sizeof vt_wino_speeds / sizeof vt_wino_speeds[0]; ++i) {
        const vt_wino_speed* s = &vt_wino_speeds[i];
        if (s->isa != isa || s->r != w->kw || channels < s->min_channels) continue;
        for (int j = 0; j < 4 && s->m[j]; ++j)
            if (vt_winograd_applies(w, p, s->m[j]) && vt_wino_accurate(s->m[j], w->kw, w->cin_g)) return s->m[j];
    }
    return 0;
}

typedef struct vt_wino_job {
    const vt_gemm_problem* p;
    const struct vt_winograd* wg;
    int32_t d, tiles;   /* dilation; tiles per phase in a block */
    int64_t block;      /* output rows per work item: d * m * tiles */
    int64_t blocks;     /* per batch item */
    int64_t stage_rows; /* d * (m * tiles + reach - 1) */
    int64_t cin, cout;  /* padded row lengths: cin_pad, nv_g * 16 */
    int32_t nvp;        /* panels of 16 output channels per GEMM tile */
    int32_t ob;         /* panels per output block: products [alpha][R][ob * 16], then their output transform */
    float* scratch;
    int64_t per_thread; /* floats */
} vt_wino_job;

static void vt_wino_item(void* ctx, int64_t item, int32_t thread) {
    const vt_wino_job* j = ctx;
    const vt_gemm_problem* p = j->p;
    const struct vt_winograd* wg = j->wg;
    const struct vt_weights* w = p->w;
    const vt_kernel_table* kt = vt_kernels();
    const vt_gemm_kernel* k = p->kernel;
    const int32_t m = wg->m, d = j->d, T = j->tiles;
    const int64_t R = (int64_t)d * T, b = item / j->blocks, r0 = item % j->blocks * j->block;
    const int64_t r1 = r0 + j->block < p->rows ? r0 + j->block : p->rows;
    float* staged = j->scratch + (int64_t)thread * j->per_thread;
    float* v = staged + j->stage_rows * j->cin;            /* [alpha][R][cin] */
    float* prod = v + wg->alpha_max * R * j->cin;          /* [alpha][R][ob * 16] */
    float* y = prod + wg->alpha_max * R * j->ob * 16;      /* [block][cout] */
    vt_gemm_stage(p, b, r0, j->stage_rows, staged);
    const float* bias = p->bias ? p->bias + b * p->bias_batch : NULL;
    vt_gemm_tile g;
    memset(&g, 0, sizeof g);
    g.a_row = j->cin;
    g.taps = 1;
    g.cin = (int32_t)j->cin;
    g.act = VT_ACTIVATION_NONE;
    g.res_dtype = VT_DTYPE_F32;
    g.out_dtype = VT_DTYPE_F32;
    g.plain = 1;
    const int64_t pld = (int64_t)j->ob * 16; /* a product row */
    g.out_ld = pld;
    for (int32_t pi = 0; pi < wg->parts; ++pi) {
        const vt_wino_tile* tl = &wg->part[pi];
        const int32_t a = tl->alpha;
        /* tile q = f * T + t of phase f reads staged rows f + d (t m + tap0 + i), i < alpha */
        for (int32_t f = 0; f < d; ++f)
            for (int32_t t = 0; t < T; ++t) {
                const float* src = staged + ((int64_t)f + (int64_t)d * (t * m + tl->tap0)) * j->cin;
                kt->wino_transform_f32(&tl->bt, a, src, d * j->cin, NULL, 0, v + (f * T + t) * j->cin, R * j->cin,
                                       j->cin);
            }
        g.b_nv = (int64_t)a * j->cin * 16;
        /* per block of ob panels: the alpha GEMMs, then at once the output transform of the block's columns, so that
           the products are read back from L1 / L2 rather than from a whole item's product rows */
        for (int32_t ob0 = 0; ob0 < w->nv_g; ob0 += j->ob) {
            const int32_t ob1 = w->nv_g - ob0 < j->ob ? w->nv_g : ob0 + j->ob;
            for (int32_t nv0 = ob0; nv0 < ob1; nv0 += j->nvp) {
                g.nv = ob1 - nv0 < j->nvp ? ob1 - nv0 : j->nvp;
                g.n_valid = g.nv * 16;
                /* R rows in tiles of nearly equal height (85 rows on 6-row tiles: 10 of 6 and 5 of 5, not 14 and a
                   1-row tile, which runs at a sixth of the loop's rate) */
                const int32_t mr = k->mr_max[g.nv];
                const int64_t row_tiles = (R + mr - 1) / mr;
                for (int32_t x = 0; x < a; ++x) {
                    g.b = tl->u + ((int64_t)nv0 * a + x) * j->cin * 16;
                    for (int64_t q = 0, m0 = 0; q < row_tiles; ++q, m0 += g.mr) {
                        g.mr = (int32_t)((R - m0 + row_tiles - q - 1) / (row_tiles - q));
                        g.a = v + (x * R + m0) * j->cin;
                        g.out = prod + (x * R + m0) * pld + (nv0 - ob0) * 16;
                        k->tile(&g);
                    }
                }
            }
            /* the first part starts from the bias, a later one adds to the rows the earlier parts left */
            const int64_t c0 = (int64_t)ob0 * 16, cn = (int64_t)(ob1 - ob0) * 16;
            for (int32_t f = 0; f < d; ++f)
                for (int32_t t = 0; t < T; ++t) {
                    /* the tile's rows f + d (t m + i) below r1: a prefix of its m */
                    const int64_t row0 = f + (int64_t)d * t * m, left = r1 - r0 - row0;
                    const int32_t rows =
                        left <= 0 ? 0 : left >= (int64_t)d * (m - 1) + 1 ? m : (int32_t)((left - 1) / d + 1);
                    float* yr = y + row0 * j->cout + c0;
                    kt->wino_transform_f32(&tl->at, rows, prod + (f * T + t) * pld, R * pld,
                                           pi == 0 ? (bias ? bias + c0 : NULL) : yr, pi == 0 ? 0 : d * j->cout, yr,
                                           d * j->cout, cn);
                }
        }
    }
    vt_gemm_epilogue(p, y, j->cout, b, r0, r1);
}

vt_status vt_winograd_run(const vt_gemm_problem* p, int32_t m) {
    const struct vt_weights* w = p->w;
    const struct vt_winograd* wg;
    VT_TRY(vt_winograd_get(w, m, &wg));
    vt_wino_job j;
    memset(&j, 0, sizeof j);
    j.p = p;
    j.wg = wg;
    j.d = (int32_t)p->stage_tap_step;
    j.cin = w->cin_pad;
    j.cout = (int64_t)w->nv_g * 16;
    j.nvp = w->nv_g < p->kernel->nv_max ? w->nv_g : p->kernel->nv_max;
    /* output blocks of at least 32 channels: 4 vectors of the AVX2 transform per coefficient */
    j.ob = j.nvp < 2 && w->nv_g >= 2 ? 2 : j.nvp;
    /* GEMM rows per item: the transformed rows and products of one item within about 1 MB (L2), at most 96 (the
       products counted at full width: with only an output block's, the longer blocks ran 5-9 % slower at 256 ch) */
    const int64_t per_row = (int64_t)wg->alpha_max * (j.cin + j.cout) + (int64_t)m * j.cout;
    int64_t rows = (1 << 18) / per_row;
    rows = rows < 8 ? 8 : rows > 96 ? 96 : rows;
    int64_t tiles = rows / j.d < 1 ? 1 : rows / j.d;
    /* enough items for the pool */
    const int64_t threads = vt_pool_threads(), tiles_needed = (p->rows + (int64_t)j.d * m - 1) / ((int64_t)j.d * m);
    const int64_t want = (4 * threads + p->batch - 1) / p->batch;
    if (tiles_needed < tiles * want) tiles = (tiles_needed + want - 1) / want;
    if (tiles < 1) tiles = 1;
    j.tiles = (int32_t)tiles;
    j.block = (int64_t)j.d * m * tiles;
    j.blocks = (p->rows + j.block - 1) / j.block;
    j.stage_rows = (int64_t)j.d * (m * tiles + wg->reach - 1);
    const int64_t R = (int64_t)j.d * tiles;
    j.per_thread = j.stage_rows * j.cin + wg->alpha_max * R * (j.cin + j.ob * 16) + j.block * j.cout;
    j.per_thread = (j.per_thread + 15) & ~(int64_t)15;
    const size_t bytes = (size_t)(threads * j.per_thread) * sizeof(float);
    j.scratch = vt_malloc(bytes);
    if (!j.scratch) return vt_oom(bytes);
    vt_parallel_for_sized(p->batch * j.blocks, vt_wino_item, &j, (int32_t)threads);
    free(j.scratch);
    return VT_STATUS_OK;
}
