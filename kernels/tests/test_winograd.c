/* Winograd conv1d (VT_CONV1D_ALGORITHM_WINOGRAD / VT_CONV1D_ALGORITHM_FASTEST) on random shapes and data, every ISA variant this CPU
   has, against an fp64 reference of the same rounded inputs and weights. The bound per output is the header's:
     |y - ref| <= gamma(Cin + 2 alpha + 4) * K(m, r) * sum_c max_k |w[o][c][k]| * max_l |x[l][c]|  (+ the bias add)
   since each transformed input is a sum of alpha terms in fp32, each transformed weight one fp32 rounding of an
   fp64 sum, each product summed over Cin channels in fp32, each output a sum of alpha terms, and K bounds how the
   transforms' coefficients amplify those roundings; the matrices' own fp32 roundings are the + 4. The epilogue
   (activation, residual, masks) is checked as test_conv checks the direct path's. */
#include "vt_test.h"

typedef struct wino_case {
    int n, l, cin, cout, k, m, dil, pl, pr;
    vt_activation in_act, out_act;
    int bias, residual, in_mask;
    vt_dtype math, io;
    vt_conv1d_algorithm algo;
} wino_case;

static double act(vt_activation a, float slope, double x) {
    switch (a) {
    case VT_ACTIVATION_RELU: return x > 0 ? x : 0;
    case VT_ACTIVATION_LEAKY_RELU: return x < 0 ? slope * x : x;
    case VT_ACTIVATION_TANH: return tanh(x);
    case VT_ACTIVATION_SIGMOID: return 1 / (1 + exp(-x));
    default: return x;
    }
}

/* the worst |error| / bound seen per (m, r), printed at the end: how close the bound is to what happens */
static double worst_ratio[8][12];

static void run_case(const wino_case* c, vt_isa isa) {
    const int lout = c->l + c->pl + c->pr - c->dil * (c->k - 1);
    const int gate = c->out_act == VT_ACTIVATION_GATED_TANH_SIGMOID, co = gate ? c->cout / 2 : c->cout;
    const size_t nx = (size_t)c->n * c->l * c->cin, ny = (size_t)c->n * lout * co, nw = (size_t)c->cout * c->cin * c->k;
    float *x = malloc(nx * 4), *w = malloc(nw * 4), *b = malloc((size_t)c->cout * 4), *r = malloc(ny * 4), *y = malloc(ny * 4);
    float* mi = malloc(sizeof(float) * (size_t)c->n * c->l);
    uint16_t *xh = malloc(nx * 2), *yh = malloc(ny * 2), *rh = malloc(ny * 2);
    /* inputs of mixed magnitudes: the bound must hold when a few channels dominate */
    for (size_t i = 0; i < nx; ++i) x[i] = rnd_float(-1, 1) * (i % 7 == 0 ? 8.0f : 1.0f);
    for (size_t i = 0; i < nw; ++i) w[i] = rnd_float(-1, 1) / sqrtf((float)(c->cin * c->k));
    for (int i = 0; i < c->cout; ++i) b[i] = c->bias ? rnd_float(-0.5f, 0.5f) : 0.0f;
    for (size_t i = 0; i < ny; ++i) r[i] = bf16_round(rnd_float(-1, 1)), rh[i] = bf16_bits(r[i]);
    for (int i = 0; i < c->n * c->l; ++i) mi[i] = rnd_int(0, 5) == 0 ? 0.0f : 1.0f;
    if (c->io == VT_DTYPE_BF16)
        for (size_t i = 0; i < nx; ++i) x[i] = bf16_round(x[i]), xh[i] = bf16_bits(x[i]);
    OK(vt_set_isa(isa));
    int64_t ws[3] = {c->cout, c->cin, c->k}, xs[3] = {c->n, c->l, c->cin}, ys[3] = {c->n, lout, co}, bs[1] = {c->cout},
            ms[3] = {c->n, c->l, 1};
    vt_tensor wt = make_tensor(w, VT_DTYPE_F32, 3, ws), bt = make_tensor(b, VT_DTYPE_F32, 1, bs);
    vt_tensor xt = make_tensor(c->io == VT_DTYPE_BF16 ? (void*)xh : (void*)x, c->io, 3, xs);
    vt_tensor yt = make_tensor(c->io == VT_DTYPE_BF16 ? (void*)yh : (void*)y, c->io, 3, ys);
    vt_tensor rt = make_tensor(c->io == VT_DTYPE_BF16 ? (void*)rh : (void*)r, c->io, 3, ys);
    vt_tensor mt = make_tensor(mi, VT_DTYPE_F32, 3, ms);
    vt_weights* wp = NULL;
    OK(vt_weights_create(&wt, 1, c->math, &wp));
    vt_conv1d_params p = {1, c->dil, c->pl, c->pr, c->in_act, 0.1f, c->out_act, 0.2f, c->in_mask ? &mt : NULL, NULL,
                          c->algo, c->m};
    int m = c->m;
    if (c->algo == VT_CONV1D_ALGORITHM_FASTEST) m = vt_conv1d_winograd_tile(wp, &p);
    OK(vt_conv1d(&xt, wp, c->bias ? &bt : NULL, c->residual ? &rt : NULL, &p, &yt));
    vt_weights_destroy(wp);
    if (c->io == VT_DTYPE_BF16)
        for (size_t i = 0; i < ny; ++i) y[i] = from_bf16(yh[i]);
    const int bf = c->math == VT_DTYPE_BF16;
    const double u = ldexp(1.0, -24), nops = c->cin + 2.0 * (c->m + c->k - 1) + 4, gam = nops * u / (1 - nops * u);
    const double kf = m ? vt_winograd_error_factor(m, c->k) : c->k;
    EXPECT(kf > 0, "F(%d, %d) has no error factor", m, c->k);
    /* the staged (activated, masked, rounded) input and its per-channel maxima */
    double* xs_ = malloc(sizeof(double) * nx);
    double* xmax = calloc((size_t)c->n * c->cin, sizeof(double));
    for (int n = 0; n < c->n; ++n)
        for (int l = 0; l < c->l; ++l)
            for (int ci = 0; ci < c->cin; ++ci) {
                float v = (float)act(c->in_act, 0.1f, x[((size_t)n * c->l + l) * c->cin + ci]);
                if (bf) v = bf16_round(v);
                if (c->in_mask) v *= mi[n * c->l + l];
                xs_[((size_t)n * c->l + l) * c->cin + ci] = v;
                if (fabs(v) > xmax[n * c->cin + ci]) xmax[n * c->cin + ci] = fabs(v);
            }
    double* pre = malloc(sizeof(double) * (size_t)c->cout);
    double* bound = malloc(sizeof(double) * (size_t)c->cout);
    int bad = 0;
    for (int n = 0; n < c->n && !bad; ++n)
        for (int lo = 0; lo < lout && !bad; ++lo) {
            for (int oc = 0; oc < c->cout; ++oc) {
                double acc = 0, s = 0;
                for (int ci = 0; ci < c->cin; ++ci) {
                    double wmax = 0;
                    for (int k = 0; k < c->k; ++k) {
                        float wv = w[((size_t)oc * c->cin + ci) * c->k + k];
                        if (bf) wv = bf16_round(wv);
                        if (fabs(wv) > wmax) wmax = fabs(wv);
                        const int li = lo + k * c->dil - c->pl;
                        if (li >= 0 && li < c->l) acc += (double)wv * xs_[((size_t)n * c->l + li) * c->cin + ci];
                    }
                    s += wmax * xmax[n * c->cin + ci];
                }
                pre[oc] = acc + b[oc];
                bound[oc] = gam * kf * s + 2 * u * (fabs(acc) + fabs(b[oc]));
            }
            for (int oc = 0; oc < co; ++oc) {
                double v = gate ? tanh(pre[oc]) / (1 + exp(-pre[oc + co])) : act(c->out_act, 0.2f, pre[oc]);
                /* activations are 1-Lipschitz; the epilogue's tanh / sigmoid approximations add < 1e-6 */
                double tol = gate ? bound[oc] + bound[oc + co] + 2e-6 : bound[oc];
                if (c->out_act == VT_ACTIVATION_TANH || c->out_act == VT_ACTIVATION_SIGMOID) tol += 1e-6;
                if (c->residual) v += r[((size_t)n * lout + lo) * co + oc], tol += 2 * u * fabs(v);
                if (c->io == VT_DTYPE_BF16) tol += fabs(v) * (1.0 / 256);
                const double err = fabs(y[((size_t)n * lout + lo) * co + oc] - v);
                if (!gate && c->out_act == VT_ACTIVATION_NONE && !c->residual && c->io == VT_DTYPE_F32 && m)
                    if (err / tol > worst_ratio[m][c->k]) worst_ratio[m][c->k] = err / tol;
                if (!(err <= tol)) {
                    bad = 1;
                    EXPECT(0, "winograd %s F(%d,%d) math %d io %d: n%d L%d cin%d cout%d d%d p%d/%d act%d/%d: y[%d,%d,%d]=%.9g want %.9g (bound %.3g)",
                           vt_isa_name(isa), m, c->k, c->math, c->io, c->n, c->l, c->cin, c->cout, c->dil, c->pl, c->pr,
                           c->in_act, c->out_act, n, lo, oc, y[((size_t)n * lout + lo) * co + oc], v, tol);
                    break;
                }
            }
        }
    free(xs_), free(xmax), free(pre), free(bound);
    free(x), free(w), free(b), free(r), free(y), free(mi), free(xh), free(yh), free(rh);
}

static const int tiles_for[12][4] = {[3] = {2, 4, 6, 0}, [5] = {2, 4, 6, 0}, [7] = {2, 4, 6, 0}, [11] = {2, 4, 6, 0}};

static void random_cases(int count) {
    const int ks[] = {3, 5, 7, 11};
    for (int i = 0; i < count; ++i) {
        wino_case c;
        memset(&c, 0, sizeof c);
        c.k = ks[rnd_int(0, 3)];
        int nm = 0;
        while (nm < 4 && tiles_for[c.k][nm]) ++nm;
        c.m = tiles_for[c.k][rnd_int(0, nm - 1)];
        c.algo = VT_CONV1D_ALGORITHM_WINOGRAD;
        c.cin = rnd_int(0, 3) == 0 ? rnd_int(1, 31) : rnd_int(32, i % 8 == 0 ? 512 : 160);
        c.cout = rnd_int(1, 80);
        c.dil = rnd_int(0, 1) ? 1 : rnd_int(2, 5);
        c.pl = rnd_int(0, c.dil * (c.k - 1));
        c.pr = rnd_int(0, c.dil * (c.k - 1));
        c.n = rnd_int(1, 2);
        c.l = c.dil * (c.k - 1) + 1 - c.pl - c.pr + rnd_int(0, 70);
        if (c.l < 1) c.l = 1 + rnd_int(0, 10);
        if (c.l + c.pl + c.pr < c.dil * (c.k - 1) + 1) c.pr += c.dil * (c.k - 1) + 1 - (c.l + c.pl + c.pr);
        c.in_act = rnd_int(0, 1) ? VT_ACTIVATION_LEAKY_RELU : VT_ACTIVATION_NONE;
        c.out_act = (vt_activation)rnd_int(0, 5);
        if (c.out_act == VT_ACTIVATION_GATED_TANH_SIGMOID && c.cout % 2) c.out_act = VT_ACTIVATION_NONE;
        if (i % 3 == 0) c.out_act = VT_ACTIVATION_NONE; /* the bound's own cases */
        c.bias = rnd_int(0, 1);
        c.residual = i % 3 != 0 && rnd_int(0, 1);
        c.in_mask = rnd_int(0, 3) == 0;
        c.math = rnd_int(0, 1) ? VT_DTYPE_BF16 : VT_DTYPE_F32;
        c.io = i % 3 == 0 || rnd_int(0, 1) ? VT_DTYPE_F32 : VT_DTYPE_BF16;
        for (int v = 0; v < 4; ++v)
            if (vt_isa_supported(all_isas[v])) run_case(&c, all_isas[v]);
    }
}

/* the converter's decoder and flow shapes under VT_CONV1D_ALGORITHM_FASTEST: what it picks is within the bound too */
static void fastest_cases(void) {
    const int ch[] = {256, 128, 64, 32}, ks[] = {3, 7, 11}, ds[] = {1, 3, 5};
    for (int s = 0; s < 4; ++s)
        for (int j = 0; j < 3; ++j) {
            wino_case c = {1, 200, ch[s], ch[s], ks[j], 0, ds[j], ds[j] * (ks[j] - 1) / 2, ds[j] * (ks[j] - 1) / 2,
                           VT_ACTIVATION_LEAKY_RELU, VT_ACTIVATION_NONE, 1, 0, 0, VT_DTYPE_BF16, VT_DTYPE_F32,
                           VT_CONV1D_ALGORITHM_FASTEST};
            for (int v = 0; v < 4; ++v)
                if (vt_isa_supported(all_isas[v])) run_case(&c, all_isas[v]);
        }
    wino_case pre = {1, 120, 192, 512, 7, 0, 1, 3, 3, VT_ACTIVATION_NONE, VT_ACTIVATION_NONE, 1, 0, 0, VT_DTYPE_F32,
                     VT_DTYPE_F32, VT_CONV1D_ALGORITHM_FASTEST};
    wino_case wn = {2, 90, 192, 384, 5, 0, 1, 2, 2, VT_ACTIVATION_NONE, VT_ACTIVATION_GATED_TANH_SIGMOID, 1, 0, 1,
                    VT_DTYPE_BF16, VT_DTYPE_BF16, VT_CONV1D_ALGORITHM_FASTEST};
    for (int v = 0; v < 4; ++v)
        if (vt_isa_supported(all_isas[v])) run_case(&pre, all_isas[v]), run_case(&wn, all_isas[v]);
}

static vt_weights* uniform_weights(int cout, int cin_g, int k, int groups) {
    float* w = malloc(sizeof(float) * (size_t)cout * cin_g * k);
    for (int i = 0; i < cout * cin_g * k; ++i) w[i] = 0.01f;
    int64_t ws[3] = {cout, cin_g, k};
    vt_tensor wt = make_tensor(w, VT_DTYPE_F32, 3, ws);
    vt_weights* wp = NULL;
    OK(vt_weights_create(&wt, groups, VT_DTYPE_F32, &wp));
    free(w);
    return wp;
}

/* what FASTEST may and may not pick, and the one-line refusals */
static void choice_cases(void) {
    vt_weights *big = uniform_weights(256, 256, 3, 1), *small = uniform_weights(32, 32, 3, 1);
    vt_weights *grouped = uniform_weights(256, 128, 3, 2), *wide11 = uniform_weights(512, 512, 11, 1);
    vt_weights *k11 = uniform_weights(256, 256, 11, 1), *k7 = uniform_weights(128, 128, 7, 1);
    vt_weights *pre = uniform_weights(512, 192, 7, 1), *wn = uniform_weights(384, 192, 5, 1);
    vt_conv1d_params p = {1, 1, 1, 1, VT_ACTIVATION_NONE, 0, VT_ACTIVATION_NONE, 0, NULL, NULL, VT_CONV1D_ALGORITHM_FASTEST, 0};
    for (int v = 0; v < 3; ++v) {
        if (!vt_isa_supported(all_isas[v])) continue;
        OK(vt_set_isa(all_isas[v]));
        const int m = vt_conv1d_winograd_tile(big, &p);
        if (all_isas[v] == VT_ISA_PORTABLE)
            EXPECT(m == 0, "portable picks F(%d, 3): it has no measured speed table", m);
        else
            EXPECT(m == 2 || m == 4 || m == 6, "%s picks F(%d, 3) for 256 channels, k 3", vt_isa_name(all_isas[v]), m);
        if (m)
            EXPECT(vt_winograd_error_factor(m, 3) * (256 + 2 * (m + 2) + 4) * ldexp(1, -24) <= 3 * ldexp(1, -9),
                   "F(%d, 3) is past the error bound it was picked within", m);
        EXPECT(vt_conv1d_winograd_tile(small, &p) == 0, "32 channels stay direct (the transforms cost more)");
        /* F(2, 11) over 512 channels: K(2, 11) (512 + 28) u > 11 * 2^-9, so direct or the split F(4, 11), whose
           K(4, 7) + K(4, 5) = 480 keeps (512 + 32) u K within the bound */
        const int m11 = vt_conv1d_winograd_tile(wide11, &p);
        EXPECT(m11 == 0 || m11 == 4, "%s picks F(%d, 11) over 512 channels: F(2, 11) is past the error bound",
               vt_isa_name(all_isas[v]), m11);
        if (m11)
            EXPECT(vt_winograd_error_factor(m11, 11) * (512 + 2 * (m11 + 10) + 4) * ldexp(1, -24) <= 11 * ldexp(1, -9),
                   "F(%d, 11) is past the error bound it was picked within", m11);
        if (all_isas[v] != VT_ISA_PORTABLE) {
            /* the larger tiles where they measured faster and the bound allows: F(6, 11) at 256 channels
               ((256 + 36) u K(6, 11) is within 11 * 2^-9, 512 is not: above), F(6, 7) at 128 and on conv_pre */
            EXPECT(vt_conv1d_winograd_tile(k11, &p) == 6, "%s picks F(%d, 11) for 256 channels, not F(6, 11)",
                   vt_isa_name(all_isas[v]), vt_conv1d_winograd_tile(k11, &p));
            EXPECT(vt_conv1d_winograd_tile(k7, &p) == 6, "%s picks F(%d, 7) for 128 channels, not F(6, 7)",
                   vt_isa_name(all_isas[v]), vt_conv1d_winograd_tile(k7, &p));
            EXPECT(vt_conv1d_winograd_tile(pre, &p) == 6, "%s picks F(%d, 7) for 192 -> 512, not F(6, 7)",
                   vt_isa_name(all_isas[v]), vt_conv1d_winograd_tile(pre, &p));
            EXPECT(vt_conv1d_winograd_tile(wn, &p) == 6, "%s picks F(%d, 5) for the flow's 192 -> 384, not F(6, 5)",
                   vt_isa_name(all_isas[v]), vt_conv1d_winograd_tile(wn, &p));
        }
        p.stride = 2;
        EXPECT(vt_conv1d_winograd_tile(big, &p) == 0, "a strided conv stays direct");
        p.stride = 1;
        EXPECT(vt_conv1d_winograd_tile(grouped, &p) == 0, "a grouped conv stays direct");
    }
    OK(vt_set_isa(VT_ISA_BEST));
    EXPECT(vt_winograd_error_factor(3, 3) == 0 && vt_winograd_error_factor(2, 4) == 0, "untabulated F(m, r) has a factor");
    EXPECT(fabs(vt_winograd_error_factor(2, 3) - 8.0) < 1e-9, "K(2, 3) = %g, want 8", vt_winograd_error_factor(2, 3));
    EXPECT(fabs(vt_winograd_error_factor(4, 11) - vt_winograd_error_factor(4, 7) - vt_winograd_error_factor(4, 5)) < 1e-6,
           "K(4, 11) = %g, want K(4, 7) + K(4, 5), its parts", vt_winograd_error_factor(4, 11));
    EXPECT(fabs(vt_winograd_error_factor(6, 11) - vt_winograd_error_factor(6, 7) - vt_winograd_error_factor(6, 5)) < 1e-6,
           "K(6, 11) = %g, want K(6, 7) + K(6, 5), its parts", vt_winograd_error_factor(6, 11));
    EXPECT(vt_winograd_error_factor(6, 7) < 900 && vt_winograd_error_factor(6, 5) < 270,
           "K(6, 7) = %g and K(6, 5) = %g: the searched point sets give 856 and 263", vt_winograd_error_factor(6, 7),
           vt_winograd_error_factor(6, 5));
    float x[256 * 10], y[256 * 10];
    for (int i = 0; i < 2560; ++i) x[i] = 0.5f;
    int64_t xs[3] = {1, 10, 256};
    vt_tensor xt = make_tensor(x, VT_DTYPE_F32, 3, xs), yt = make_tensor(y, VT_DTYPE_F32, 3, xs);
    p.algorithm = VT_CONV1D_ALGORITHM_WINOGRAD;
    p.winograd_m = 3;
    EXPECT(vt_conv1d(&xt, big, NULL, NULL, &p, &yt) == VT_STATUS_INVALID_ARGUMENT, "F(3, 3) is refused");
    EXPECT(strstr(vt_last_error(), "F(3, 3)") != NULL, "the refusal names F(3, 3): %s", vt_last_error());
    p.algorithm = (vt_conv1d_algorithm)7;
    EXPECT(vt_conv1d(&xt, big, NULL, NULL, &p, &yt) == VT_STATUS_INVALID_ARGUMENT, "an unknown algorithm is refused");
    vt_weights_destroy(big);
    vt_weights_destroy(small);
    vt_weights_destroy(grouped);
    vt_weights_destroy(wide11);
    vt_weights_destroy(k11);
    vt_weights_destroy(k7);
    vt_weights_destroy(pre);
    vt_weights_destroy(wn);
}

int main(void) {
    OK(vt_init(2));
    choice_cases();
    fastest_cases();
    random_cases(60);
    printf("worst |error| / bound, f32 outputs without activation:");
    for (int m = 2; m <= 6; m += 2)
        for (int k = 3; k <= 11; ++k)
            if (worst_ratio[m][k] > 0) printf(" F(%d,%d) %.2g", m, k, worst_ratio[m][k]);
    printf("\n");
    return vt_test_finish("winograd");
}
