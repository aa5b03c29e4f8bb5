/* A persistent pool: workers spin briefly on a generation counter, then sleep on a condition variable, so a
   sequence of small kernels does not pay a wake-up each, and an idle process does not burn its cores.
   The pool is one per process and holds one job at a time: callers on other threads (two models run by a
   server, say) take turns through `job_lock`, and a restart (vt_init with another thread count) waits for the
   running job, so concurrent callers are correct, never interleaved. */
#include "vt_internal.h"

#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#if defined(__x86_64__)
#include <immintrin.h>
#define VT_PAUSE() _mm_pause()
#else
#define VT_PAUSE() ((void)0)
#endif

enum { VT_SPIN_ROUNDS = 1 << 15, VT_WAIT_SPINS = 1 << 10 };

typedef struct vt_pool {
    pthread_t* threads;
    int32_t workers; /* threads besides the caller */
    pthread_mutex_t job_lock; /* held by the one caller whose job the pool runs, and by start/stop */
    pthread_mutex_t mutex;
    pthread_cond_t wake;
    _Atomic uint64_t generation;
    _Atomic int32_t pending;
    _Atomic int32_t stop;
    /* the current job */
    vt_task_fn fn;
    void* ctx;
    int64_t count;
    int32_t job_threads; /* workers with this index or above sit the job out: its scratch is sized for fewer */
    _Atomic int64_t next;
} vt_pool;

static vt_pool vt_the_pool = {
    .job_lock = PTHREAD_MUTEX_INITIALIZER, .mutex = PTHREAD_MUTEX_INITIALIZER, .wake = PTHREAD_COND_INITIALIZER};
static _Thread_local int32_t vt_in_task;

static void vt_run_job(vt_pool* p, int32_t thread) {
    if (thread >= p->job_threads) return;
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

static void vt_pool_stop_locked(vt_pool* p) {
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

void vt_pool_stop(void) {
    vt_pool* p = &vt_the_pool;
    pthread_mutex_lock(&p->job_lock);
    vt_pool_stop_locked(p);
    pthread_mutex_unlock(&p->job_lock);
}

static vt_status vt_pool_start_locked(vt_pool* p, int32_t threads) {
    vt_pool_stop_locked(p);
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
            vt_pool_stop_locked(p);
            return vt_fail(VT_STATUS_INTERNAL, "could not start pool thread %d of %d", i + 1, threads);
        }
        p->workers = i + 1;
    }
    return VT_STATUS_OK;
}

vt_status vt_pool_start(int32_t threads) {
    vt_pool* p = &vt_the_pool;
    pthread_mutex_lock(&p->job_lock);
    vt_status s = vt_pool_start_locked(p, threads);
    pthread_mutex_unlock(&p->job_lock);
    return s;
}

int32_t vt_pool_threads(void) {
    vt_pool* p = &vt_the_pool;
    /* inside a task the pool is busy with this very job (whose owner holds job_lock): a nested loop runs inline */
    if (vt_in_task) return 1;
    pthread_mutex_lock(&p->job_lock);
    int32_t n = p->workers + 1;
    pthread_mutex_unlock(&p->job_lock);
    return n;
}

static void vt_run_inline(int64_t count, vt_task_fn fn, void* ctx) {
    int32_t was = vt_in_task;
    vt_in_task = 1;
    for (int64_t i = 0; i < count; ++i) fn(ctx, i, 0);
    vt_in_task = was;
}

void vt_parallel_for(int64_t count, vt_task_fn fn, void* ctx) { vt_parallel_for_sized(count, fn, ctx, INT32_MAX); }

void vt_parallel_for_sized(int64_t count, vt_task_fn fn, void* ctx, int32_t threads) {
    vt_pool* p = &vt_the_pool;
    if (count <= 0) return;
    /* a task's own parallel loop runs inline: the pool is busy with the task */
    if (count == 1 || vt_in_task) {
        vt_run_inline(count, fn, ctx);
        return;
    }
    pthread_mutex_lock(&p->job_lock);
    if (p->workers == 0) {
        pthread_mutex_unlock(&p->job_lock);
        vt_run_inline(count, fn, ctx);
        return;
    }
    p->fn = fn;
    p->ctx = ctx;
    p->count = count;
    p->job_threads = threads;
    atomic_store_explicit(&p->next, 0, memory_order_relaxed);
    atomic_store_explicit(&p->pending, p->workers, memory_order_relaxed);
    pthread_mutex_lock(&p->mutex);
    atomic_fetch_add_explicit(&p->generation, 1, memory_order_release);
    pthread_cond_broadcast(&p->wake);
    pthread_mutex_unlock(&p->mutex);
    vt_run_job(p, 0);
    /* the workers' last items: spin a little, then yield, so that on a loaded machine a worker that lost its core
       gets one back sooner than the caller's time slice ends (a caller spinning all along cost 13 % of a converter's
       CPU time at load 10 on 2 cores) */
    for (int32_t spins = 0; atomic_load_explicit(&p->pending, memory_order_acquire) > 0; ++spins)
        if (spins < VT_WAIT_SPINS)
            VT_PAUSE();
        else
            sched_yield();
    pthread_mutex_unlock(&p->job_lock);
}
