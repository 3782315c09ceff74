// A small fork-join pool for one inference session. One 64-bit ticket carries
// the run's generation (high 32 bits), its task count (16 bits) and the next
// task index (16 bits). A worker reads the run's function between loading the
// ticket and claiming a task from it with a compare-and-swap: the claim succeeds
// only while that task is unclaimed, and until every task is done the caller
// changes nothing, so what the worker read belongs to the run it claimed from.
// A worker late from an earlier run can never take a task of a later one.
#define _GNU_SOURCE
#include "roost_kernels.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <time.h>

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#define ROOST_RELAX() _mm_pause()
#elif defined(__aarch64__)
#define ROOST_RELAX() __asm__ __volatile__("yield")
#else
#define ROOST_RELAX() ((void)0)
#endif

/// How long an idle worker spins before it sleeps (ns): long enough to bridge
/// the gap between two steps or two back-to-back queries, short enough that an
/// idle session costs nothing.
#define ROOST_SPIN_NS 2000000L

struct roost_pool {
    int threads;
    pthread_t *workers;
    _Atomic uint64_t ticket;
    _Atomic int completed;
    _Atomic int sleepers;
    _Atomic int stop;
    // Published before the ticket of their generation; stable until its tasks are done.
    roost_task_fn fn;
    void *context;
    pthread_mutex_t lock;
    pthread_cond_t wake;
};

typedef struct { roost_pool *pool; int index; } worker_start;

static long now_ns(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1000000000L + t.tv_nsec;
}

/// Takes and runs tasks of generation `gen` until none is left.
static void drain(roost_pool *p, uint32_t gen, int thread) {
    for (;;) {
        uint64_t t = atomic_load_explicit(&p->ticket, memory_order_acquire);
        int index = (int)(t & 0xffff), tasks = (int)((t >> 16) & 0xffff);
        if ((uint32_t)(t >> 32) != gen || index >= tasks) return;
        roost_task_fn fn = p->fn;
        void *ctx = p->context;
        if (!atomic_compare_exchange_weak_explicit(&p->ticket, &t, t + 1, memory_order_acq_rel, memory_order_acquire)) continue;
        fn(ctx, index, thread);
        atomic_fetch_add_explicit(&p->completed, 1, memory_order_acq_rel);
    }
}

static void *worker_main(void *arg) {
    worker_start start = *(worker_start *)arg;
    free(arg);
    roost_pool *p = start.pool;
    uint32_t seen = (uint32_t)(atomic_load(&p->ticket) >> 32);
    for (;;) {
        long deadline = now_ns() + ROOST_SPIN_NS;
        uint32_t gen;
        int spins = 0;
        for (;;) {
            gen = (uint32_t)(atomic_load_explicit(&p->ticket, memory_order_acquire) >> 32);
            if (gen != seen || atomic_load_explicit(&p->stop, memory_order_relaxed)) break;
            ROOST_RELAX();
            if (++spins == 256) {
                spins = 0;
                if (now_ns() > deadline) {
                    pthread_mutex_lock(&p->lock);
                    atomic_fetch_add(&p->sleepers, 1);
                    while ((uint32_t)(atomic_load(&p->ticket) >> 32) == seen && !atomic_load(&p->stop))
                        pthread_cond_wait(&p->wake, &p->lock);
                    atomic_fetch_sub(&p->sleepers, 1);
                    pthread_mutex_unlock(&p->lock);
                    deadline = now_ns() + ROOST_SPIN_NS;
                }
            }
        }
        if (atomic_load(&p->stop)) return NULL;
        seen = gen;
        drain(p, gen, start.index);
    }
}

roost_pool *roost_pool_create(int threads) {
    if (threads < 1) threads = 1;
    roost_pool *p = calloc(1, sizeof *p);
    if (!p) return NULL;
    p->threads = threads;
    atomic_init(&p->ticket, 0);
    atomic_init(&p->completed, 0);
    atomic_init(&p->sleepers, 0);
    atomic_init(&p->stop, 0);
    pthread_mutex_init(&p->lock, NULL);
    pthread_cond_init(&p->wake, NULL);
    p->workers = calloc((size_t)threads, sizeof(pthread_t));
    for (int i = 1; i < threads; i++) {
        worker_start *s = malloc(sizeof *s);
        s->pool = p;
        s->index = i;
        if (pthread_create(&p->workers[i], NULL, worker_main, s) != 0) {
            free(s);
            p->threads = i; // run with the workers we have
            break;
        }
    }
    return p;
}

void roost_pool_destroy(roost_pool *p) {
    if (!p) return;
    pthread_mutex_lock(&p->lock);
    atomic_store(&p->stop, 1);
    pthread_cond_broadcast(&p->wake);
    pthread_mutex_unlock(&p->lock);
    for (int i = 1; i < p->threads; i++) pthread_join(p->workers[i], NULL);
    pthread_mutex_destroy(&p->lock);
    pthread_cond_destroy(&p->wake);
    free(p->workers);
    free(p);
}

int roost_pool_threads(const roost_pool *p) { return p ? p->threads : 1; }

size_t roost_units_per_task(size_t units, int threads, size_t align, int tasks_per_thread) {
    if (align == 0) align = 1;
    if (units == 0) return 1;
    if (threads <= 1) return units;
    const size_t t = (size_t)threads;
    size_t best = units, best_load = (size_t)-1;
    // Finest first, so that a tie keeps more tasks (a preempted thread then holds up less).
    for (size_t per_thread = tasks_per_thread > 1 ? (size_t)tasks_per_thread : 1; per_thread >= 1; per_thread--) {
        size_t wanted = t * per_thread < units ? t * per_thread : units;
        size_t per = (units + wanted - 1) / wanted;
        per = (per + align - 1) / align * align;
        size_t tasks = (units + per - 1) / per, last = units - (tasks - 1) * per;
        // Tasks claimed in turn: thread j runs tasks j, j + t, …; the last task may be short.
        size_t load = 0;
        for (size_t j = 0; j < t && j < tasks; j++) {
            size_t count = (tasks - 1 - j) / t + 1;
            size_t l = count * per - ((tasks - 1) % t == j ? per - last : 0);
            if (l > load) load = l;
        }
        if (load < best_load) {
            best_load = load;
            best = per;
        }
    }
    return best;
}

void roost_pool_run(roost_pool *p, int tasks, roost_task_fn fn, void *context) {
    if (tasks <= 0) return;
    if (tasks > 0xffff) { // more than the ticket counts: run inline (no caller needs this)
        for (int t = 0; t < tasks; t++) fn(context, t, 0);
        return;
    }
    if (!p || p->threads == 1 || tasks == 1) {
        for (int t = 0; t < tasks; t++) fn(context, t, 0);
        return;
    }
    uint32_t gen = (uint32_t)(atomic_load(&p->ticket) >> 32) + 1;
    p->fn = fn;
    p->context = context;
    atomic_store_explicit(&p->completed, 0, memory_order_relaxed);
    atomic_store(&p->ticket, (uint64_t)gen << 32 | (uint64_t)tasks << 16);
    if (atomic_load(&p->sleepers) > 0) {
        pthread_mutex_lock(&p->lock);
        pthread_cond_broadcast(&p->wake);
        pthread_mutex_unlock(&p->lock);
    }
    drain(p, gen, 0);
    while (atomic_load_explicit(&p->completed, memory_order_acquire) < tasks) ROOST_RELAX();
}
