/* A persistent pool: workers spin briefly on a generation counter, then sleep on a condition variable, so a
   sequence of small kernels does not pay a wake-up each, and an idle process does not burn its cores. */
#include "vt_internal.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#if defined(__x86_64__)
#include <immintrin.h>
#define VT_PAUSE() _mm_pause()
#else
#define VT_PAUSE() ((void)0)
#endif

enum { VT_SPIN_ROUNDS = 1 << 15 };

typedef struct vt_pool {
    pthread_t* threads;
    int32_t workers; /* threads besides the caller */
    pthread_mutex_t mutex;
    pthread_cond_t wake;
    _Atomic uint64_t generation;
    _Atomic int32_t pending;
    _Atomic int32_t stop;
    /* the current job */
    vt_task_fn fn;
    void* ctx;
    int64_t count;
    _Atomic int64_t next;
} vt_pool;

static vt_pool vt_the_pool = {.mutex = PTHREAD_MUTEX_INITIALIZER, .wake = PTHREAD_COND_INITIALIZER};
static _Thread_local int32_t vt_in_task;

static void vt_run_job(vt_pool* p, int32_t thread) {
    vt_in_task = 1;
    for (;;) {
        int64_t i = atomic_fetch_add_explicit(&p->next, 1, memory_order_relaxed);
        if (i >= p->count) break;
        p->fn(p->ctx, i, thread);
    }
    vt_in_task = 0;
}

typedef struct vt_worker_arg {
    vt_pool* pool;
    int32_t index;
    uint64_t generation; /* read by the creator: a job posted before the thread runs is still seen as new */
} vt_worker_arg;

static void* vt_worker(void* arg) {
    vt_worker_arg a = *(vt_worker_arg*)arg;
    free(arg);
    vt_pool* p = a.pool;
    uint64_t seen = a.generation;
    for (;;) {
        int spins = 0;
        while (atomic_load_explicit(&p->generation, memory_order_acquire) == seen &&
               !atomic_load_explicit(&p->stop, memory_order_relaxed)) {
            if (++spins < VT_SPIN_ROUNDS) {
                VT_PAUSE();
                continue;
            }
            pthread_mutex_lock(&p->mutex);
            while (atomic_load_explicit(&p->generation, memory_order_acquire) == seen &&
                   !atomic_load_explicit(&p->stop, memory_order_relaxed))
                pthread_cond_wait(&p->wake, &p->mutex);
            pthread_mutex_unlock(&p->mutex);
        }
        if (atomic_load_explicit(&p->stop, memory_order_relaxed)) break;
        seen = atomic_load_explicit(&p->generation, memory_order_acquire);
        vt_run_job(p, a.index);
        atomic_fetch_sub_explicit(&p->pending, 1, memory_order_acq_rel);
    }
    return NULL;
}

void vt_pool_stop(void) {
    vt_pool* p = &vt_the_pool;
    if (!p->threads) return;
    pthread_mutex_lock(&p->mutex);
    atomic_store(&p->stop, 1);
    pthread_cond_broadcast(&p->wake);
    pthread_mutex_unlock(&p->mutex);
    for (int32_t i = 0; i < p->workers; ++i) pthread_join(p->threads[i], NULL);
    free(p->threads);
    p->threads = NULL;
    p->workers = 0;
    atomic_store(&p->stop, 0);
}

vt_status vt_pool_start(int32_t threads) {
    vt_pool* p = &vt_the_pool;
    vt_pool_stop();
    if (threads <= 1) return VT_STATUS_OK;
    p->threads = calloc((size_t)threads - 1, sizeof(pthread_t));
    if (!p->threads) return vt_oom(sizeof(pthread_t) * (size_t)threads);
    for (int32_t i = 0; i < threads - 1; ++i) {
        vt_worker_arg* a = malloc(sizeof *a);
        if (!a) return vt_oom(sizeof *a);
        a->pool = p;
        a->index = i + 1;
        a->generation = atomic_load(&p->generation);
        if (pthread_create(&p->threads[i], NULL, vt_worker, a) != 0) {
            free(a);
            p->workers = i;
            vt_pool_stop();
            return vt_fail(VT_STATUS_INTERNAL, "could not start pool thread %d of %d", i + 1, threads);
        }
        p->workers = i + 1;
    }
    return VT_STATUS_OK;
}

int32_t vt_pool_threads(void) { return vt_the_pool.workers + 1; }

void vt_parallel_for(int64_t count, vt_task_fn fn, void* ctx) {
    vt_pool* p = &vt_the_pool;
    if (count <= 0) return;
    if (count == 1 || p->workers == 0 || vt_in_task) {
        int32_t was = vt_in_task;
        vt_in_task = 1;
        for (int64_t i = 0; i < count; ++i) fn(ctx, i, 0);
        vt_in_task = was;
        return;
    }
    p->fn = fn;
    p->ctx = ctx;
    p->count = count;
    atomic_store_explicit(&p->next, 0, memory_order_relaxed);
    atomic_store_explicit(&p->pending, p->workers, memory_order_relaxed);
    pthread_mutex_lock(&p->mutex);
    atomic_fetch_add_explicit(&p->generation, 1, memory_order_release);
    pthread_cond_broadcast(&p->wake);
    pthread_mutex_unlock(&p->mutex);
    vt_run_job(p, 0);
    while (atomic_load_explicit(&p->pending, memory_order_acquire) > 0) VT_PAUSE();
}
