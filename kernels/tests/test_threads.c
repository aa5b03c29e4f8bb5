/* The pool from several threads: callers on different threads (two models served at once) and a caller resizing
   the pool (another executor's vt_init) while jobs run. Every result must equal the one computed alone, bit for bit,
   and nothing may crash: the pool runs one job at a time and never hands a job a thread index beyond its scratch. */
#include "vt_test.h"

#include <pthread.h>
#include <stdatomic.h>

enum { CALLERS = 3, ROUNDS = 40, N = 2, L = 300, CIN = 64, COUT = 96, K = 5 };

typedef struct caller {
    float x[N * L * CIN], w[COUT * CIN * K], b[COUT];
    float expected[N * L * COUT], got[N * L * COUT];
    vt_weights* weights;
    _Atomic int mismatches, errors;
} caller;

static caller callers[CALLERS];
static _Atomic int resizing_done;

/* a tanh-activated conv: the GEMM path with per-thread fp32 scratch, the one a resize could overrun */
static vt_status run_conv(caller* c, float* out) {
    int64_t xs[3] = {N, L, CIN}, ys[3] = {N, L, COUT}, bs[1] = {COUT};
    vt_tensor xt = make_tensor(c->x, VT_DTYPE_F32, 3, xs), yt = make_tensor(out, VT_DTYPE_F32, 3, ys);
    vt_tensor bt = make_tensor(c->b, VT_DTYPE_F32, 1, bs);
    vt_conv1d_params p = {1, 1, K / 2, K / 2, VT_ACTIVATION_NONE, 0.f, VT_ACTIVATION_TANH, 0.f, NULL, NULL, VT_CONV1D_ALGORITHM_DIRECT, 0};
    return vt_conv1d(&xt, c->weights, &bt, NULL, &p, &yt);
}

static void* call_repeatedly(void* arg) {
    caller* c = arg;
    for (int r = 0; r < ROUNDS; ++r) {
        if (run_conv(c, c->got) != VT_STATUS_OK) {
            atomic_fetch_add(&c->errors, 1);
            continue;
        }
        if (memcmp(c->got, c->expected, sizeof c->got) != 0) atomic_fetch_add(&c->mismatches, 1);
    }
    return NULL;
}

static void* resize_repeatedly(void* arg) {
    (void)arg;
    for (int r = 0; r < 60; ++r) vt_init(2 + r % 3);
    atomic_store(&resizing_done, 1);
    return NULL;
}

int main(void) {
    OK(vt_init(2));
    for (int i = 0; i < CALLERS; ++i) {
        caller* c = &callers[i];
        for (int j = 0; j < N * L * CIN; ++j) c->x[j] = rnd_float(-1, 1);
        for (int j = 0; j < COUT * CIN * K; ++j) c->w[j] = rnd_float(-0.2f, 0.2f);
        for (int j = 0; j < COUT; ++j) c->b[j] = rnd_float(-0.1f, 0.1f);
        int64_t ws[3] = {COUT, CIN, K};
        vt_tensor wt = make_tensor(c->w, VT_DTYPE_F32, 3, ws);
        OK(vt_weights_create(&wt, 1, VT_DTYPE_F32, &c->weights));
        OK(run_conv(c, c->expected));
    }
    pthread_t threads[CALLERS + 1];
    for (int i = 0; i < CALLERS; ++i) pthread_create(&threads[i], NULL, call_repeatedly, &callers[i]);
    pthread_create(&threads[CALLERS], NULL, resize_repeatedly, NULL);
    for (int i = 0; i <= CALLERS; ++i) pthread_join(threads[i], NULL);
    EXPECT(atomic_load(&resizing_done), "the resizing thread did not finish");
    for (int i = 0; i < CALLERS; ++i) {
        EXPECT(atomic_load(&callers[i].errors) == 0, "caller %d: %d calls failed", i, atomic_load(&callers[i].errors));
        EXPECT(atomic_load(&callers[i].mismatches) == 0, "caller %d: %d of %d results differ from the one computed alone",
               i, atomic_load(&callers[i].mismatches), ROUNDS);
        vt_weights_destroy(callers[i].weights);
    }
    OK(vt_shutdown());
    return vt_test_finish("threads");
}
