/* conv1d, conv2d and matmul on random shapes, every ISA variant against an fp64 reference of the same math
   (inputs and weights rounded to bf16 in bf16 math), with the fused input activation, bias, output activation,
   gate, residual and input/output row masks. */
#include "vt_test.h"

static double act(vt_activation a, float slope, double x) {
    switch (a) {
    case VT_ACTIVATION_RELU: return x > 0 ? x : 0;
    case VT_ACTIVATION_LEAKY_RELU: return x < 0 ? slope * x : x;
    case VT_ACTIVATION_TANH: return tanh(x);
    case VT_ACTIVATION_SIGMOID: return 1 / (1 + exp(-x));
    default: return x;
    }
}

typedef struct conv_case {
    int n, l, cin, cout, k, stride, dil, pl, pr, groups;
    vt_activation in_act, out_act;
    int bias, residual; /* bias 2: one per batch item, [N, 1, Cout] */
    vt_dtype math, io, wdt;
    int in_mask, out_mask; /* 0: none; 1: a 0/1 frame mask (a prefix of ones); 2: any values */
} conv_case;

/* row multipliers for `rows` rows: a prefix of ones then zeros, or (kind 2) also other values */
static float* make_mask(int kind, int rows) {
    float* m = malloc(sizeof(float) * (size_t)(rows > 0 ? rows : 1));
    const int keep = rnd_int(0, rows);
    for (int i = 0; i < rows; ++i) m[i] = i < keep ? 1.0f : 0.0f;
    if (kind == 2)
        for (int i = 0; i < rows; ++i)
            if (rnd_int(0, 3) == 0) m[i] = rnd_float(-2, 2);
    return m;
}

static void run_conv1d(const conv_case* c, vt_isa isa) {
    const int cin_g = c->cin / c->groups, cout_g = c->cout / c->groups;
    const int lout = (c->l + c->pl + c->pr - c->dil * (c->k - 1) - 1) / c->stride + 1;
    const int gate = c->out_act == VT_ACTIVATION_GATED_TANH_SIGMOID;
    const int co = gate ? c->cout / 2 : c->cout;
    const size_t nx = (size_t)c->n * c->l * c->cin, ny = (size_t)c->n * lout * co, nw = (size_t)c->cout * cin_g * c->k;
    float* x = malloc(nx * 4);
    float* w = malloc(nw * 4);
    const int nb = c->bias == 2 ? c->n : 1;
    float* b = malloc((size_t)nb * c->cout * 4);
    float* r = malloc(ny * 4);
    float* y = malloc(ny * 4);
    uint16_t* xh = malloc(nx * 2);
    uint16_t* rh = malloc(ny * 2);
    uint16_t* yh = malloc(ny * 2);
    for (size_t i = 0; i < nx; ++i) x[i] = rnd_float(-1, 1);
    for (size_t i = 0; i < nw; ++i) w[i] = rnd_float(-1, 1) / sqrtf((float)(cin_g * c->k));
    for (int i = 0; i < nb * c->cout; ++i) b[i] = rnd_float(-0.5f, 0.5f);
    for (size_t i = 0; i < ny; ++i) r[i] = rnd_float(-1, 1);
    if (c->io == VT_DTYPE_BF16) {
        for (size_t i = 0; i < nx; ++i) x[i] = bf16_round(x[i]), xh[i] = bf16_bits(x[i]);
        for (size_t i = 0; i < ny; ++i) r[i] = bf16_round(r[i]), rh[i] = bf16_bits(r[i]);
    }
    /* the weights as stored: f32, or tiled bfp8 / bfp4 (the reference reads them back through unpack) */
    int64_t ws[3] = {c->cout, cin_g, c->k};
    vt_tensor wt = make_tensor(w, VT_DTYPE_F32, 3, ws);
    void* packed = NULL;
    if (c->wdt != VT_DTYPE_F32) {
        int64_t m2[2] = {c->cout, (int64_t)cin_g * c->k};
        vt_tensor t2 = make_tensor(NULL, c->wdt, 2, m2);
        t2.layout = VT_LAYOUT_TILE;
        int64_t bytes;
        OK(vt_tensor_bytes(&t2, &bytes));
        packed = malloc((size_t)bytes);
        OK(vt_pack_tiles(w, 1, c->cout, (int64_t)cin_g * c->k, c->wdt, packed));
        OK(vt_unpack_tiles(packed, c->wdt, 1, c->cout, (int64_t)cin_g * c->k, w));
        wt = make_tensor(packed, c->wdt, 3, ws);
        wt.layout = VT_LAYOUT_TILE;
    }
    OK(vt_set_isa(isa));
    vt_weights* wp = NULL;
    OK(vt_weights_create(&wt, c->groups, c->math, &wp));
    int64_t xs[3] = {c->n, c->l, c->cin}, ys[3] = {c->n, lout, co}, bs[3] = {nb, 1, c->cout};
    vt_tensor xt = make_tensor(c->io == VT_DTYPE_BF16 ? (void*)xh : (void*)x, c->io, 3, xs);
    vt_tensor yt = make_tensor(c->io == VT_DTYPE_BF16 ? (void*)yh : (void*)y, c->io, 3, ys);
    vt_tensor rt = make_tensor(c->io == VT_DTYPE_BF16 ? (void*)rh : (void*)r, c->io, 3, ys);
    vt_tensor bt = c->bias == 2 ? make_tensor(b, VT_DTYPE_F32, 3, bs) : make_tensor(b, VT_DTYPE_F32, 1, bs + 2);
    vt_conv1d_params p = {c->stride, c->dil, c->pl, c->pr, c->in_act, 0.1f, c->out_act, 0.2f, NULL, NULL, VT_CONV1D_ALGORITHM_DIRECT, 0};
    /* masks as the plans hold them: bf16 [N, L, 1] in, f32 [1, 1, N * Lout, 1] out */
    float* mi = c->in_mask ? make_mask(c->in_mask, c->n * c->l) : NULL;
    float* mo = c->out_mask ? make_mask(c->out_mask, c->n * lout) : NULL;
    uint16_t* mih = malloc(sizeof(uint16_t) * (size_t)c->n * c->l);
    if (mi)
        for (int i = 0; i < c->n * c->l; ++i) mi[i] = bf16_round(mi[i]), mih[i] = bf16_bits(mi[i]);
    int64_t mis[3] = {c->n, c->l, 1}, mos[4] = {1, 1, (int64_t)c->n * lout, 1};
    vt_tensor mit = make_tensor(mih, VT_DTYPE_BF16, 3, mis), mot = make_tensor(mo, VT_DTYPE_F32, 4, mos);
    p.input_mask = mi ? &mit : NULL;
    p.output_mask = mo ? &mot : NULL;
    OK(vt_conv1d(&xt, wp, c->bias ? &bt : NULL, c->residual ? &rt : NULL, &p, &yt));
    vt_weights_destroy(wp);
    if (c->io == VT_DTYPE_BF16)
        for (size_t i = 0; i < ny; ++i) y[i] = from_bf16(yh[i]);
    const int bf = c->math == VT_DTYPE_BF16;
    int bad = 0;
    double* pre = malloc(sizeof(double) * (size_t)c->cout);
    double* mag = malloc(sizeof(double) * (size_t)c->cout);
    for (int n = 0; n < c->n && bad < 3; ++n)
        for (int lo = 0; lo < lout && bad < 3; ++lo) {
            for (int oc = 0; oc < c->cout; ++oc) {
                const int g = oc / cout_g;
                double acc = 0, m = 0;
                for (int k = 0; k < c->k; ++k) {
                    const int li = lo * c->stride + k * c->dil - c->pl;
                    if (li < 0 || li >= c->l) continue;
                    for (int ci = 0; ci < cin_g; ++ci) {
                        float xv = (float)act(c->in_act, 0.1f, x[((size_t)n * c->l + li) * c->cin + g * cin_g + ci]);
                        float wv = w[((size_t)oc * cin_g + ci) * c->k + k];
                        if (bf) xv = bf16_round(xv), wv = bf16_round(wv);
                        if (mi) xv = bf ? bf16_round(xv * mi[n * c->l + li]) : xv * mi[n * c->l + li];
                        acc += (double)xv * wv;
                        m += fabs((double)xv * wv);
                    }
                }
                const float bv = c->bias ? b[(c->bias == 2 ? n * c->cout : 0) + oc] : 0;
                pre[oc] = acc + bv;
                mag[oc] = m + fabs(bv);
            }
            for (int oc = 0; oc < co; ++oc) {
                double v = gate ? tanh(pre[oc]) / (1 + exp(-pre[oc + co])) : act(c->out_act, 0.2f, pre[oc]);
                double tol = 2e-6 * (gate ? mag[oc] + mag[oc + co] : mag[oc]) + 1e-6;
                if (c->residual) v += r[((size_t)n * lout + lo) * co + oc];
                if (mo) {
                    const double s = mo[n * lout + lo];
                    /* the unmasked value is rounded to the output dtype before the product */
                    if (c->io == VT_DTYPE_BF16) tol += fabs(v) * (1.0 / 256);
                    v *= s, tol *= fabs(s);
                }
                if (c->io == VT_DTYPE_BF16) tol += fabs(v) * (1.0 / 256) + 1e-30;
                const float got = y[((size_t)n * lout + lo) * co + oc];
                if (!(fabs(got - v) <= tol)) {
                    ++bad;
                    EXPECT(0, "conv1d %s math %d io %d w %d: n%d L%d cin%d cout%d k%d s%d d%d p%d/%d g%d act%d/%d mask%d/%d: y[%d,%d,%d]=%g want %g",
                           vt_isa_name(isa), c->math, c->io, c->wdt, c->n, c->l, c->cin, c->cout, c->k, c->stride, c->dil,
                           c->pl, c->pr, c->groups, c->in_act, c->out_act, c->in_mask, c->out_mask, n, lo, oc, got, v);
                    break;
                }
            }
        }
    EXPECT(bad == 0, "conv1d mismatches");
    free(pre), free(mag), free(x), free(w), free(b), free(r), free(y), free(xh), free(rh), free(yh), free(packed);
    free(mi), free(mo), free(mih);
}

static void random_conv1d_cases(int count) {
    for (int i = 0; i < count; ++i) {
        conv_case c;
        memset(&c, 0, sizeof c);
        c.groups = rnd_int(0, 4) == 0 ? rnd_int(2, 4) : 1;
        int cin_g = rnd_int(1, 40), cout_g = rnd_int(1, 70);
        if (rnd_int(0, 5) == 0) cin_g = 1, cout_g = rnd_int(1, 2), c.groups = rnd_int(2, 40); /* depthwise */
        c.cin = cin_g * c.groups;
        c.cout = cout_g * c.groups;
        c.k = rnd_int(1, 11);
        c.stride = rnd_int(0, 3) == 0 ? rnd_int(2, 3) : 1;
        c.dil = rnd_int(0, 2) == 0 ? rnd_int(2, 5) : 1;
        c.pl = rnd_int(0, c.dil * (c.k - 1));
        c.pr = rnd_int(0, c.dil * (c.k - 1));
        c.n = rnd_int(1, 2);
        c.l = c.dil * (c.k - 1) + 1 - c.pl - c.pr + rnd_int(0, 120);
        if (c.l < 1) c.l = 1 + rnd_int(0, 30);
        if (c.l + c.pl + c.pr < c.dil * (c.k - 1) + 1) c.pr += c.dil * (c.k - 1) + 1 - (c.l + c.pl + c.pr);
        c.in_act = (vt_activation)rnd_int(0, 2);
        c.out_act = (vt_activation)rnd_int(0, 5);
        if (c.out_act == VT_ACTIVATION_GATED_TANH_SIGMOID && (c.groups != 1 || c.cout % 2)) c.out_act = VT_ACTIVATION_TANH;
        c.bias = rnd_int(0, 2);
        c.residual = rnd_int(0, 1);
        c.math = rnd_int(0, 1) ? VT_DTYPE_BF16 : VT_DTYPE_F32;
        c.io = rnd_int(0, 1) ? VT_DTYPE_BF16 : VT_DTYPE_F32;
        c.wdt = (vt_dtype)(rnd_int(0, 3) == 0 ? rnd_int(2, 3) : 0);
        c.in_mask = rnd_int(0, 2) == 0 ? rnd_int(1, 2) : 0;
        c.out_mask = rnd_int(0, 2) == 0 ? rnd_int(1, 2) : 0;
        for (int v = 0; v < 4; ++v)
            if (vt_isa_supported(all_isas[v])) run_conv1d(&c, all_isas[v]);
    }
}

/* the HiFi-GAN shapes, short */
static void hifigan_cases(void) {
    const int ch[] = {256, 128, 64, 32}, ks[] = {3, 7, 11}, ds[] = {1, 3, 5};
    for (int s = 0; s < 4; ++s)
        for (int j = 0; j < 3; ++j) {
            conv_case c = {1, 150, ch[s], ch[s], ks[j], 1, ds[j], ds[j] * (ks[j] - 1) / 2, ds[j] * (ks[j] - 1) / 2, 1,
                           VT_ACTIVATION_LEAKY_RELU, VT_ACTIVATION_NONE, 1, 1, VT_DTYPE_BF16, VT_DTYPE_BF16, VT_DTYPE_F32, 0, 0};
            for (int v = 0; v < 4; ++v)
                if (vt_isa_supported(all_isas[v])) run_conv1d(&c, all_isas[v]);
        }
    /* the masked decoder: leaky_relu then the frame mask before each conv */
    for (int s = 0; s < 4; ++s) {
        conv_case c = {1, 150, ch[s], ch[s], 3, 1, 3, 3, 3, 1, VT_ACTIVATION_LEAKY_RELU, VT_ACTIVATION_NONE, 1, 1,
                       VT_DTYPE_BF16, VT_DTYPE_BF16, VT_DTYPE_F32, 1, s % 2};
        for (int v = 0; v < 4; ++v)
            if (vt_isa_supported(all_isas[v])) run_conv1d(&c, all_isas[v]);
    }
    conv_case gate = {1, 90, 192, 384, 5, 1, 1, 2, 2, 1, VT_ACTIVATION_NONE, VT_ACTIVATION_GATED_TANH_SIGMOID, 1, 0,
                      VT_DTYPE_BF16, VT_DTYPE_F32, VT_DTYPE_BFP8_B, 0, 0};
    for (int v = 0; v < 4; ++v)
        if (vt_isa_supported(all_isas[v])) run_conv1d(&gate, all_isas[v]);
}

static void conv2d_cases(int count) {
    for (int i = 0; i < count; ++i) {
        const int n = rnd_int(1, 2), h = rnd_int(3, 20), wd = rnd_int(3, 20), cin = rnd_int(1, 9), cout = rnd_int(1, 40);
        const int kh = rnd_int(1, 3), kw = rnd_int(1, 3), sh = rnd_int(1, 2), sw = rnd_int(1, 2), p = rnd_int(0, 1);
        const int ho = (h + 2 * p - kh) / sh + 1, wo = (wd + 2 * p - kw) / sw + 1;
        const vt_dtype math = rnd_int(0, 1) ? VT_DTYPE_BF16 : VT_DTYPE_F32;
        const size_t nx = (size_t)n * h * wd * cin, ny = (size_t)n * ho * wo * cout, nw = (size_t)cout * cin * kh * kw;
        float *x = malloc(nx * 4), *w = malloc(nw * 4), *b = malloc((size_t)cout * 4), *y = malloc(ny * 4);
        for (size_t j = 0; j < nx; ++j) x[j] = rnd_float(-1, 1);
        for (size_t j = 0; j < nw; ++j) w[j] = rnd_float(-1, 1);
        for (int j = 0; j < cout; ++j) b[j] = rnd_float(-1, 1);
        int64_t xs[4] = {n, h, wd, cin}, ys[4] = {n, ho, wo, cout}, ws[4] = {cout, cin, kh, kw}, bs[1] = {cout};
        vt_tensor xt = make_tensor(x, VT_DTYPE_F32, 4, xs), yt = make_tensor(y, VT_DTYPE_F32, 4, ys);
        vt_tensor wt = make_tensor(w, VT_DTYPE_F32, 4, ws), bt = make_tensor(b, VT_DTYPE_F32, 1, bs);
        vt_conv2d_params prm = {sh, sw, 1, 1, p, p, p, p, VT_ACTIVATION_RELU, 0};
        for (int v = 0; v < 4; ++v) {
            if (!vt_isa_supported(all_isas[v])) continue;
            OK(vt_set_isa(all_isas[v]));
            vt_weights* wp = NULL;
            OK(vt_weights_create(&wt, 1, math, &wp));
            OK(vt_conv2d(&xt, wp, &bt, NULL, &prm, &yt));
            vt_weights_destroy(wp);
            int bad = 0;
            for (int a = 0; a < n && !bad; ++a)
                for (int oh = 0; oh < ho && !bad; ++oh)
                    for (int ow = 0; ow < wo && !bad; ++ow)
                        for (int oc = 0; oc < cout && !bad; ++oc) {
                            double acc = b[oc], m = fabs(b[oc]);
                            for (int i1 = 0; i1 < kh; ++i1)
                                for (int i2 = 0; i2 < kw; ++i2) {
                                    int ih = oh * sh + i1 - p, iw = ow * sw + i2 - p;
                                    if (ih < 0 || ih >= h || iw < 0 || iw >= wd) continue;
                                    for (int ci = 0; ci < cin; ++ci) {
                                        float xv = x[(((size_t)a * h + ih) * wd + iw) * cin + ci];
                                        float wv = w[(((size_t)oc * cin + ci) * kh + i1) * kw + i2];
                                        if (math == VT_DTYPE_BF16) xv = bf16_round(xv), wv = bf16_round(wv);
                                        acc += (double)xv * wv;
                                        m += fabs((double)xv * wv);
                                    }
                                }
                            acc = acc > 0 ? acc : 0;
                            float got = y[(((size_t)a * ho + oh) * wo + ow) * cout + oc];
                            if (fabs(got - acc) > 2e-6 * m + 1e-6) {
                                bad = 1;
                                EXPECT(0, "conv2d %s: y=%g want %g", vt_isa_name(all_isas[v]), got, acc);
                            }
                        }
        }
        free(x), free(w), free(b), free(y);
    }
}

static void matmul_cases(int count) {
    for (int i = 0; i < count; ++i) {
        const int batch = rnd_int(1, 3), m = rnd_int(1, 40), k = rnd_int(1, 70), n = rnd_int(1, 50);
        const int ta = rnd_int(0, 1), tb = rnd_int(0, 1), bb = rnd_int(0, 1); /* b batched or shared */
        const vt_dtype dt = rnd_int(0, 1) ? VT_DTYPE_BF16 : VT_DTYPE_F32;
        float *a = malloc((size_t)batch * m * k * 4), *b = malloc((size_t)batch * k * n * 4), *bias = malloc((size_t)n * 4);
        float* y = malloc((size_t)batch * m * n * 4);
        uint16_t *ah = malloc((size_t)batch * m * k * 2), *bh = malloc((size_t)batch * k * n * 2);
        for (int j = 0; j < batch * m * k; ++j) a[j] = bf16_round(rnd_float(-1, 1)), ah[j] = bf16_bits(a[j]);
        for (int j = 0; j < batch * k * n; ++j) b[j] = bf16_round(rnd_float(-1, 1)), bh[j] = bf16_bits(b[j]);
        for (int j = 0; j < n; ++j) bias[j] = rnd_float(-1, 1);
        int64_t as[3] = {batch, ta ? k : m, ta ? m : k}, bs3[3] = {batch, tb ? n : k, tb ? k : n}, ys[3] = {batch, m, n};
        int64_t bs2[2] = {tb ? n : k, tb ? k : n}, bsz[1] = {n};
        vt_tensor at = make_tensor(dt == VT_DTYPE_BF16 ? (void*)ah : (void*)a, dt, 3, as);
        vt_tensor btt = bb ? make_tensor(dt == VT_DTYPE_BF16 ? (void*)bh : (void*)b, dt, 3, bs3)
                           : make_tensor(dt == VT_DTYPE_BF16 ? (void*)bh : (void*)b, dt, 2, bs2);
        vt_tensor yt = make_tensor(y, VT_DTYPE_F32, 3, ys), biast = make_tensor(bias, VT_DTYPE_F32, 1, bsz);
        vt_matmul_params prm = {ta, tb, VT_ACTIVATION_NONE, 0};
        for (int v = 0; v < 4; ++v) {
            if (!vt_isa_supported(all_isas[v])) continue;
            OK(vt_set_isa(all_isas[v]));
            OK(vt_matmul(&at, &btt, &biast, &prm, &yt));
            int bad = 0;
            for (int q = 0; q < batch && !bad; ++q)
                for (int r = 0; r < m && !bad; ++r)
                    for (int c = 0; c < n && !bad; ++c) {
                        double acc = bias[c], mg = fabs(bias[c]);
                        for (int j = 0; j < k; ++j) {
                            float av = ta ? a[((size_t)q * k + j) * m + r] : a[((size_t)q * m + r) * k + j];
                            size_t qb = bb ? (size_t)q : 0;
                            float bv = tb ? b[(qb * n + c) * k + j] : b[(qb * k + j) * n + c];
                            acc += (double)av * bv;
                            mg += fabs((double)av * bv);
                        }
                        float got = y[((size_t)q * m + r) * n + c];
                        if (fabs(got - acc) > 2e-6 * mg + 1e-6) {
                            bad = 1;
                            EXPECT(0, "matmul %s b%d m%d k%d n%d ta%d tb%d bb%d: %g want %g", vt_isa_name(all_isas[v]), batch,
                                   m, k, n, ta, tb, bb, got, acc);
                        }
                    }
        }
        free(a), free(b), free(bias), free(y), free(ah), free(bh);
    }
}

/* conv_transpose1d against the scatter definition: y[l * s - p + k * d] += x[l] w[ci, co, k] */
static void conv_transpose_cases(int count) {
    for (int it = 0; it < count; ++it) {
        const int groups = rnd_int(0, 3) == 0 ? 2 : 1, cin = groups * rnd_int(1, 20), cout_g = rnd_int(1, 40);
        const int cout = cout_g * groups, cin_g = cin / groups;
        const int k = rnd_int(1, 16), s = rnd_int(1, 8), d = rnd_int(0, 3) == 0 ? rnd_int(2, 3) : 1;
        const int p = rnd_int(0, (d * (k - 1)) / 2), op = rnd_int(0, s - 1 < d - 1 ? s - 1 : d - 1);
        const int n = rnd_int(1, 2), l = rnd_int(1, 40);
        const int lout = (l - 1) * s - 2 * p + d * (k - 1) + op + 1;
        if (lout < 1) continue;
        const vt_dtype math = rnd_int(0, 1) ? VT_DTYPE_BF16 : VT_DTYPE_F32;
        const size_t nx = (size_t)n * l * cin, ny = (size_t)n * lout * cout, nw = (size_t)cin * cout_g * k;
        float *x = malloc(nx * 4), *w = malloc(nw * 4), *b = malloc((size_t)cout * 4), *y = malloc(ny * 4), *r = malloc(ny * 4);
        double *ref = calloc(ny, sizeof(double)), *mag = calloc(ny, sizeof(double));
        for (size_t i = 0; i < nx; ++i) x[i] = rnd_float(-1, 1);
        for (size_t i = 0; i < nw; ++i) w[i] = rnd_float(-1, 1);
        for (int i = 0; i < cout; ++i) b[i] = rnd_float(-1, 1);
        for (size_t i = 0; i < ny; ++i) r[i] = rnd_float(-1, 1);
        for (int a = 0; a < n; ++a)
            for (int li = 0; li < l; ++li)
                for (int kk = 0; kk < k; ++kk) {
                    const int o = li * s - p + kk * d;
                    if (o < 0 || o >= lout) continue;
                    for (int g = 0; g < groups; ++g)
                        for (int ci = 0; ci < cin_g; ++ci)
                            for (int co = 0; co < cout_g; ++co) {
                                float xv = x[((size_t)a * l + li) * cin + g * cin_g + ci];
                                float wv = w[(((size_t)g * cin_g + ci) * cout_g + co) * k + kk];
                                if (math == VT_DTYPE_BF16) xv = bf16_round(xv), wv = bf16_round(wv);
                                ref[((size_t)a * lout + o) * cout + g * cout_g + co] += (double)xv * wv;
                                mag[((size_t)a * lout + o) * cout + g * cout_g + co] += fabs((double)xv * wv);
                            }
                }
        int64_t xs[3] = {n, l, cin}, ys[3] = {n, lout, cout}, ws[3] = {cin, cout_g, k}, bs[1] = {cout};
        vt_tensor xt = make_tensor(x, VT_DTYPE_F32, 3, xs), yt = make_tensor(y, VT_DTYPE_F32, 3, ys);
        vt_tensor rt = make_tensor(r, VT_DTYPE_F32, 3, ys), wt = make_tensor(w, VT_DTYPE_F32, 3, ws);
        vt_tensor bt = make_tensor(b, VT_DTYPE_F32, 1, bs);
        vt_conv_transpose1d_params prm = {s, d, p, op, VT_ACTIVATION_LEAKY_RELU, 0.1f};
        for (int v = 0; v < 4; ++v) {
            if (!vt_isa_supported(all_isas[v])) continue;
            OK(vt_set_isa(all_isas[v]));
            vt_weights* wp = NULL;
            OK(vt_conv_transpose_weights_create(&wt, groups, &prm, math, &wp));
            OK(vt_conv_transpose1d(&xt, wp, &bt, &rt, &prm, &yt));
            vt_weights_destroy(wp);
            int bad = 0;
            for (size_t i = 0; i < ny && !bad; ++i) {
                double want = ref[i] + b[i % (size_t)cout];
                want = want < 0 ? 0.1 * want : want;
                want += r[i];
                if (fabs(y[i] - want) > 2e-6 * (mag[i] + fabs(b[i % (size_t)cout])) + 1e-6) {
                    bad = 1;
                    EXPECT(0, "conv_transpose1d %s g%d cin%d cout%d k%d s%d d%d p%d op%d L%d: [%zu] %g want %g",
                           vt_isa_name(all_isas[v]), groups, cin, cout, k, s, d, p, op, l, i, y[i], want);
                }
            }
        }
        free(x), free(w), free(b), free(y), free(r), free(ref), free(mag);
    }
}

int main(void) {
    OK(vt_init(2));
    hifigan_cases();
    random_conv1d_cases(100);
    conv2d_cases(25);
    matmul_cases(40);
    conv_transpose_cases(40);
    return vt_test_finish("conv");
}
