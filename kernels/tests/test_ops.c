/* Element-wise, reduction and data-movement kernels against plain C references, on every ISA variant. */
#include "vt_test.h"

static double ref_unary(vt_unary_op op, float p, double x) {
    switch (op) {
    case VT_UNARY_OP_RELU: return x > 0 ? x : 0;
    case VT_UNARY_OP_LEAKY_RELU: return x < 0 ? p * x : x;
    case VT_UNARY_OP_TANH: return tanh(x);
    case VT_UNARY_OP_SIGMOID: return 1 / (1 + exp(-x));
    case VT_UNARY_OP_EXP: return exp(x);
    case VT_UNARY_OP_SQRT: return sqrt(fabs(x));
    case VT_UNARY_OP_GELU: return 0.5 * x * (1 + erf(x / sqrt(2.0)));
    case VT_UNARY_OP_LOG: return log(fabs(x));
    case VT_UNARY_OP_NEG: return -x;
    case VT_UNARY_OP_CEIL: return ceil(x);
    case VT_UNARY_OP_RECIPROCAL: return 1 / x;
    case VT_UNARY_OP_ABS: return fabs(x);
    case VT_UNARY_OP_FLOOR: return floor(x);
    case VT_UNARY_OP_RSQRT: return 1 / sqrt(fabs(x));
    case VT_UNARY_OP_ERF: return erf(x);
    case VT_UNARY_OP_SILU: return x / (1 + exp(-x));
    case VT_UNARY_OP_SOFTPLUS: return x > 20 ? x : log1p(exp(x));
    case VT_UNARY_OP_SQUARE: return x * x;
    case VT_UNARY_OP_MUL_SCALAR: return p * x;
    case VT_UNARY_OP_ADD_SCALAR: return x + p;
    }
    return 0;
}

static int close_to(double got, double want, double rel) {
    if (isnan(want)) return isnan(got);
    if (isinf(want)) return got == want;
    return fabs(got - want) <= rel * fabs(want) + 1e-6;
}

static void unary_cases(void) {
    enum { N = 5000 };
    static float x[N], y[N];
    static uint16_t xh[N], yh[N];
    for (int op = 0; op <= VT_UNARY_OP_ADD_SCALAR; ++op) {
        const int positive = op == VT_UNARY_OP_SQRT || op == VT_UNARY_OP_LOG || op == VT_UNARY_OP_RSQRT;
        for (int i = 0; i < N; ++i) {
            x[i] = rnd_float(-6, 6);
            if (positive) x[i] = fabsf(x[i]) + 0.01f;
            if (op == VT_UNARY_OP_RECIPROCAL && fabsf(x[i]) < 0.01f) x[i] = 0.5f;
            xh[i] = bf16_bits(x[i]);
        }
        int64_t shp[2] = {50, 100};
        for (int v = 0; v < 4; ++v) {
            if (!vt_isa_supported(all_isas[v])) continue;
            OK(vt_set_isa(all_isas[v]));
            vt_tensor xt = make_tensor(x, VT_DTYPE_F32, 2, shp), yt = make_tensor(y, VT_DTYPE_F32, 2, shp);
            OK(vt_unary((vt_unary_op)op, 0.3f, &xt, &yt));
            int bad = 0;
            for (int i = 0; i < N; ++i) bad += !close_to(y[i], ref_unary((vt_unary_op)op, 0.3f, x[i]), 2e-6);
            EXPECT(bad == 0, "unary %d f32 %s: %d bad", op, vt_isa_name(all_isas[v]), bad);
            /* bf16 in and out: fp32 math on the bf16 input, one rounding at the store */
            vt_tensor xb = make_tensor(xh, VT_DTYPE_BF16, 2, shp), yb = make_tensor(yh, VT_DTYPE_BF16, 2, shp);
            OK(vt_unary((vt_unary_op)op, 0.3f, &xb, &yb));
            bad = 0;
            for (int i = 0; i < N; ++i) {
                double want = ref_unary((vt_unary_op)op, 0.3f, from_bf16(xh[i]));
                bad += !close_to(from_bf16(yh[i]), want, 1.0 / 128);
            }
            EXPECT(bad == 0, "unary %d bf16 %s: %d bad", op, vt_isa_name(all_isas[v]), bad);
        }
    }
    /* a strided (transposed) input through the general path */
    int64_t shp[2] = {20, 30};
    float a[600], b[600];
    for (int i = 0; i < 600; ++i) a[i] = rnd_float(-2, 2);
    vt_tensor at = make_tensor(a, VT_DTYPE_F32, 2, shp);
    at.shape[0] = 30, at.shape[1] = 20, at.strides[0] = 1, at.strides[1] = 30;
    int64_t s2[2] = {30, 20};
    vt_tensor bt = make_tensor(b, VT_DTYPE_F32, 2, s2);
    OK(vt_unary(VT_UNARY_OP_NEG, 0, &at, &bt));
    int bad = 0;
    for (int r = 0; r < 30; ++r)
        for (int c = 0; c < 20; ++c) bad += b[r * 20 + c] != -a[c * 30 + r];
    EXPECT(bad == 0, "strided unary: %d bad", bad);
}

static double ref_binary(vt_binary_op op, double a, double b) {
    switch (op) {
    case VT_BINARY_OP_ADD: return a + b;
    case VT_BINARY_OP_SUB: return a - b;
    case VT_BINARY_OP_MUL: return a * b;
    case VT_BINARY_OP_DIV: return a / b;
    case VT_BINARY_OP_MAXIMUM: return a > b ? a : b;
    case VT_BINARY_OP_MINIMUM: return a < b ? a : b;
    case VT_BINARY_OP_POW: return pow(fabs(a), b);
    case VT_BINARY_OP_LT: return a < b;
    case VT_BINARY_OP_LE: return a <= b;
    case VT_BINARY_OP_GT: return a > b;
    case VT_BINARY_OP_GE: return a >= b;
    case VT_BINARY_OP_EQ: return a == b;
    case VT_BINARY_OP_NE: return a != b;
    }
    return 0;
}

static void binary_cases(void) {
    for (int it = 0; it < 80; ++it) {
        const int op = rnd_int(0, VT_BINARY_OP_NE);
        int64_t ys[3] = {rnd_int(1, 4), rnd_int(1, 9), rnd_int(1, 40)}, as[3], bs[3];
        for (int d = 0; d < 3; ++d) {
            as[d] = rnd_int(0, 2) ? ys[d] : 1;
            bs[d] = rnd_int(0, 2) ? ys[d] : 1;
        }
        const int brank = rnd_int(1, 3); /* b right-aligned with fewer dims */
        const int64_t na = as[0] * as[1] * as[2], nb = bs[3 - brank] * (brank > 1 ? bs[4 - brank] : 1) * (brank > 2 ? bs[2] : 1);
        float* a = malloc((size_t)na * 4);
        float* b = malloc((size_t)nb * 4);
        float* y = malloc((size_t)(ys[0] * ys[1] * ys[2]) * 4);
        for (int64_t i = 0; i < na; ++i) a[i] = (float)rnd_int(-4, 4) * 0.5f + (op == VT_BINARY_OP_POW ? 0.25f : 0);
        for (int64_t i = 0; i < nb; ++i) b[i] = (float)rnd_int(-4, 4) * 0.5f + (op == VT_BINARY_OP_DIV ? 0.25f : 0);
        if (op == VT_BINARY_OP_POW)
            for (int64_t i = 0; i < na; ++i) a[i] = fabsf(a[i]);
        vt_tensor at = make_tensor(a, VT_DTYPE_F32, 3, as), bt = make_tensor(b, VT_DTYPE_F32, brank, bs + 3 - brank);
        const vt_dtype ydt = rnd_int(0, 1) ? VT_DTYPE_BF16 : VT_DTYPE_F32;
        uint16_t* yh = malloc((size_t)(ys[0] * ys[1] * ys[2]) * 2);
        vt_tensor yt = make_tensor(ydt == VT_DTYPE_F32 ? (void*)y : (void*)yh, ydt, 3, ys);
        OK(vt_binary((vt_binary_op)op, &at, &bt, &yt));
        int bad = 0;
        for (int64_t i = 0; i < ys[0]; ++i)
            for (int64_t j = 0; j < ys[1]; ++j)
                for (int64_t k = 0; k < ys[2]; ++k) {
                    const float av = a[((as[0] > 1 ? i : 0) * as[1] + (as[1] > 1 ? j : 0)) * as[2] + (as[2] > 1 ? k : 0)];
                    int64_t bo = 0;
                    const int64_t idx[3] = {i, j, k};
                    for (int d = 3 - brank; d < 3; ++d) bo = bo * bs[d] + (bs[d] > 1 ? idx[d] : 0);
                    const double want = ref_binary((vt_binary_op)op, av, b[bo]);
                    const int64_t yo = (i * ys[1] + j) * ys[2] + k;
                    const double got = ydt == VT_DTYPE_F32 ? y[yo] : from_bf16(yh[yo]);
                    bad += !close_to(got, ydt == VT_DTYPE_F32 ? (double)(float)want : bf16_round((float)want), 1e-6);
                }
        EXPECT(bad == 0, "binary %d: %d bad", op, bad);
        free(a), free(b), free(y), free(yh);
    }
    /* where with a broadcast condition */
    int64_t cs[2] = {1, 5}, ys[2] = {3, 5};
    float c[5] = {1, 0, 1, 0, 0}, a[15], b[15], y[15];
    for (int i = 0; i < 15; ++i) a[i] = (float)i, b[i] = -(float)i;
    vt_tensor ct = make_tensor(c, VT_DTYPE_F32, 2, cs), at = make_tensor(a, VT_DTYPE_F32, 2, ys),
              bt = make_tensor(b, VT_DTYPE_F32, 2, ys), yt = make_tensor(y, VT_DTYPE_F32, 2, ys);
    OK(vt_where(&ct, &at, &bt, &yt));
    int bad = 0;
    for (int i = 0; i < 15; ++i) bad += y[i] != (c[i % 5] != 0 ? a[i] : b[i]);
    EXPECT(bad == 0, "where: %d bad", bad);
}

static void line_cases(void) {
    int64_t s[3] = {3, 7, 33};
    float x[693], y[693], g[33], be[33];
    for (int i = 0; i < 693; ++i) x[i] = rnd_float(-3, 3);
    for (int i = 0; i < 33; ++i) g[i] = rnd_float(0.5f, 2), be[i] = rnd_float(-1, 1);
    vt_tensor xt = make_tensor(x, VT_DTYPE_F32, 3, s), yt = make_tensor(y, VT_DTYPE_F32, 3, s);
    for (int dim = 0; dim < 3; ++dim)
        for (int rev = 0; rev < 2; ++rev) {
            OK(vt_cumsum(&xt, dim, rev, &yt));
            int bad = 0;
            for (int i = 0; i < 3; ++i)
                for (int j = 0; j < 7; ++j)
                    for (int k = 0; k < 33; ++k) {
                        int idx[3] = {i, j, k};
                        double acc = 0;
                        for (int t = 0; t < (int)s[dim]; ++t) {
                            int q[3] = {i, j, k};
                            q[dim] = t;
                            if (rev ? t >= idx[dim] : t <= idx[dim]) acc += x[(q[0] * 7 + q[1]) * 33 + q[2]];
                        }
                        bad += fabs(y[(i * 7 + j) * 33 + k] - acc) > 1e-4; /* fp32 running sum */
                    }
            EXPECT(bad == 0, "cumsum dim %d reverse %d: %d bad", dim, rev, bad);
        }
    OK(vt_softmax(&xt, 1, &yt));
    int bad = 0;
    for (int i = 0; i < 3; ++i)
        for (int k = 0; k < 33; ++k) {
            double m = -1e30, sum = 0;
            for (int j = 0; j < 7; ++j) m = fmax(m, x[(i * 7 + j) * 33 + k]);
            for (int j = 0; j < 7; ++j) sum += exp(x[(i * 7 + j) * 33 + k] - m);
            for (int j = 0; j < 7; ++j) bad += !close_to(y[(i * 7 + j) * 33 + k], exp(x[(i * 7 + j) * 33 + k] - m) / sum, 1e-5);
        }
    EXPECT(bad == 0, "softmax: %d bad", bad);
    int64_t gs[1] = {33};
    vt_tensor gt = make_tensor(g, VT_DTYPE_F32, 1, gs), bt = make_tensor(be, VT_DTYPE_F32, 1, gs);
    OK(vt_layer_norm(&xt, &gt, &bt, 1e-5f, &yt));
    bad = 0;
    for (int r = 0; r < 21; ++r) {
        double mean = 0, var = 0;
        for (int k = 0; k < 33; ++k) mean += x[r * 33 + k];
        mean /= 33;
        for (int k = 0; k < 33; ++k) var += (x[r * 33 + k] - mean) * (x[r * 33 + k] - mean);
        var /= 33;
        for (int k = 0; k < 33; ++k)
            bad += !close_to(y[r * 33 + k], (x[r * 33 + k] - mean) / sqrt(var + 1e-5) * g[k] + be[k], 1e-5);
    }
    EXPECT(bad == 0, "layer_norm: %d bad", bad);
}

static void movement_cases(void) {
    int64_t s[3] = {2, 3, 4};
    float x[24], y[128];
    for (int i = 0; i < 24; ++i) x[i] = (float)i;
    vt_tensor xt = make_tensor(x, VT_DTYPE_F32, 3, s);
    /* permute (2, 0, 1) */
    int64_t ps[3] = {4, 2, 3};
    vt_tensor yt = make_tensor(y, VT_DTYPE_F32, 3, ps);
    int32_t perm[3] = {2, 0, 1};
    OK(vt_permute(&xt, perm, &yt));
    int bad = 0;
    for (int a = 0; a < 4; ++a)
        for (int b = 0; b < 2; ++b)
            for (int c = 0; c < 3; ++c) bad += y[(a * 2 + b) * 3 + c] != x[(b * 3 + c) * 4 + a];
    EXPECT(bad == 0, "permute: %d bad", bad);
    /* transpose into bf16 */
    uint16_t yh[24];
    int64_t ts[3] = {2, 4, 3};
    vt_tensor th = make_tensor(yh, VT_DTYPE_BF16, 3, ts);
    OK(vt_transpose(&xt, 1, 2, &th));
    bad = 0;
    for (int a = 0; a < 2; ++a)
        for (int b = 0; b < 4; ++b)
            for (int c = 0; c < 3; ++c) bad += from_bf16(yh[(a * 4 + b) * 3 + c]) != x[(a * 3 + c) * 4 + b];
    EXPECT(bad == 0, "transpose: %d bad", bad);
    /* slice with a negative step (flip) on the channel dim */
    int64_t ss[3] = {2, 2, 4}, begins[3] = {0, 2, 0}, steps[3] = {1, -1, 1};
    vt_tensor st = make_tensor(y, VT_DTYPE_F32, 3, ss);
    OK(vt_slice(&xt, begins, steps, &st));
    bad = 0;
    for (int a = 0; a < 2; ++a)
        for (int b = 0; b < 2; ++b)
            for (int c = 0; c < 4; ++c) bad += y[(a * 2 + b) * 4 + c] != x[(a * 3 + 2 - b) * 4 + c];
    EXPECT(bad == 0, "slice: %d bad", bad);
    int64_t bad_begins[3] = {0, 3, 0};
    EXPECT(vt_slice(&xt, bad_begins, steps, &st) == VT_STATUS_INVALID_ARGUMENT, "slice out of range accepted");
    /* pad */
    int64_t pb[3] = {0, 1, 2}, pa[3] = {1, 0, 0}, pds[3] = {3, 4, 6};
    vt_tensor pt = make_tensor(y, VT_DTYPE_F32, 3, pds);
    OK(vt_pad(&xt, pb, pa, -7.0f, &pt));
    bad = 0;
    for (int a = 0; a < 3; ++a)
        for (int b = 0; b < 4; ++b)
            for (int c = 0; c < 6; ++c) {
                float want = (a < 2 && b >= 1 && c >= 2) ? x[(a * 3 + b - 1) * 4 + c - 2] : -7.0f;
                bad += y[(a * 4 + b) * 6 + c] != want;
            }
    EXPECT(bad == 0, "pad: %d bad", bad);
    /* concat along dim 1 */
    float x2[16];
    for (int i = 0; i < 16; ++i) x2[i] = 100.0f + (float)i;
    int64_t s2[3] = {2, 2, 4}, cs[3] = {2, 5, 4};
    vt_tensor x2t = make_tensor(x2, VT_DTYPE_F32, 3, s2), ct = make_tensor(y, VT_DTYPE_F32, 3, cs);
    const vt_tensor* parts[2] = {&xt, &x2t};
    OK(vt_concat(parts, 2, 1, &ct));
    bad = 0;
    for (int a = 0; a < 2; ++a)
        for (int b = 0; b < 5; ++b)
            for (int c = 0; c < 4; ++c)
                bad += y[(a * 5 + b) * 4 + c] != (b < 3 ? x[(a * 3 + b) * 4 + c] : x2[(a * 2 + b - 3) * 4 + c]);
    EXPECT(bad == 0, "concat: %d bad", bad);
    /* embedding */
    uint32_t ids[5] = {2, 0, 5, 5, 1};
    float table[6 * 3];
    for (int i = 0; i < 18; ++i) table[i] = (float)i * 0.5f;
    int64_t is[1] = {5}, tsz[2] = {6, 3}, es[2] = {5, 3};
    vt_tensor it = make_tensor(ids, VT_DTYPE_U32, 1, is), tt = make_tensor(table, VT_DTYPE_F32, 2, tsz),
              et = make_tensor(y, VT_DTYPE_F32, 2, es);
    OK(vt_embedding(&it, &tt, &et));
    bad = 0;
    for (int i = 0; i < 5; ++i)
        for (int d = 0; d < 3; ++d) bad += y[i * 3 + d] != table[ids[i] * 3 + d];
    EXPECT(bad == 0, "embedding: %d bad", bad);
    ids[1] = 6;
    EXPECT(vt_embedding(&it, &tt, &et) == VT_STATUS_INVALID_ARGUMENT, "embedding: out-of-range id accepted");
    EXPECT(strstr(vt_last_error(), "id 6") != NULL, "embedding message: %s", vt_last_error());
    /* typecast u32 <-> f32 and a tiled bf16 round trip through permute */
    uint32_t u[24];
    vt_tensor ut = make_tensor(u, VT_DTYPE_U32, 3, s);
    OK(vt_typecast(&xt, &ut));
    bad = 0;
    for (int i = 0; i < 24; ++i) bad += u[i] != (uint32_t)i;
    EXPECT(bad == 0, "typecast to u32: %d bad", bad);
    uint16_t tiles[2 * 1024];
    vt_tensor tl = make_tensor(tiles, VT_DTYPE_BF16, 3, s);
    tl.layout = VT_LAYOUT_TILE;
    OK(vt_typecast(&xt, &tl));
    OK(vt_permute(&tl, perm, &yt));
    bad = 0;
    for (int a = 0; a < 4; ++a)
        for (int b = 0; b < 2; ++b)
            for (int c = 0; c < 3; ++c) bad += y[(a * 2 + b) * 3 + c] != x[(b * 3 + c) * 4 + a];
    EXPECT(bad == 0, "permute of a tiled input: %d bad", bad);
}

static void reduce_reshape_cases(void) {
    int64_t s[3] = {3, 5, 7};
    float x[105], y[105];
    for (int i = 0; i < 105; ++i) x[i] = rnd_float(-2, 2);
    vt_tensor xt = make_tensor(x, VT_DTYPE_F32, 3, s);
    for (int dim = 0; dim < 3; ++dim)
        for (int op = 0; op <= VT_REDUCE_OP_MIN; ++op)
            for (int keep = 0; keep < 2; ++keep) {
                int64_t ys[3];
                int r = 0;
                for (int d = 0; d < 3; ++d)
                    if (d != dim) ys[r++] = s[d];
                    else if (keep) ys[r++] = 1;
                vt_tensor yt = make_tensor(y, VT_DTYPE_F32, r, ys);
                OK(vt_reduce((vt_reduce_op)op, &xt, dim, &yt));
                int bad = 0, at = 0;
                for (int i = 0; i < (dim == 0 ? 1 : 3); ++i)
                    for (int j = 0; j < (dim == 1 ? 1 : 5); ++j)
                        for (int k = 0; k < (dim == 2 ? 1 : 7); ++k, ++at) {
                            double acc = op == 2 ? -1e30 : op == 3 ? 1e30 : 0;
                            for (int t = 0; t < s[dim]; ++t) {
                                int q[3] = {i, j, k};
                                q[dim] = t;
                                double v = x[(q[0] * 5 + q[1]) * 7 + q[2]];
                                acc = op < 2 ? acc + v : op == 2 ? fmax(acc, v) : fmin(acc, v);
                            }
                            if (op == 1) acc /= (double)s[dim];
                            bad += fabs(y[at] - acc) > 1e-5;
                        }
                EXPECT(bad == 0, "reduce op %d dim %d keep %d: %d bad", op, dim, keep, bad);
            }
    /* reshape of a transposed view: row-major order of the view */
    int64_t rs[2] = {7, 15};
    vt_tensor view = xt;
    view.rank = 2;
    view.shape[0] = 15, view.shape[1] = 7, view.strides[0] = 1, view.strides[1] = 15;
    uint16_t h[105];
    vt_tensor yt = make_tensor(h, VT_DTYPE_BF16, 2, rs);
    OK(vt_reshape(&view, &yt));
    int bad = 0;
    for (int i = 0; i < 105; ++i) bad += from_bf16(h[i]) != bf16_round(x[(i % 7) * 15 + i / 7]);
    EXPECT(bad == 0, "reshape: %d bad", bad);
}

int main(void) {
    OK(vt_init(2));
    unary_cases();
    OK(vt_set_isa(VT_ISA_BEST));
    binary_cases();
    line_cases();
    movement_cases();
    reduce_reshape_cases();
    return vt_test_finish("ops");
}
