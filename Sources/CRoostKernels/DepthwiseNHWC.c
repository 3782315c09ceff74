// The channels-last depthwise convolution's driver: output rows split over the
// session's threads, each row computed by the ISA's row routine (the AVX2 one
// runs 3×3 interiors with the nine weight vectors in registers), and the
// portable row every ISA falls back to.
#include "DepthwiseNHWCRow.h"

/// Rows of output a routine computes: (n, oy) for row in [row0, row1).
typedef void (*dw_rows_fn)(const roost_depthwise_nhwc *d, size_t row0, size_t row1);

static void rows_portable(const roost_depthwise_nhwc *d, size_t row0, size_t row1) {
    for (size_t row = row0; row < row1; row++)
        roost_dw_nhwc_pixels(d, row / d->oh, row % d->oh, 0, d->ow, 0, d->channels);
}

typedef struct {
    const roost_depthwise_nhwc *d;
    dw_rows_fn rows;
    size_t total, per_task;
} dw_job;

static void dw_task(void *context, int task, int thread) {
    (void)thread;
    const dw_job *job = context;
    size_t first = (size_t)task * job->per_task;
    if (first >= job->total) return;
    size_t last = first + job->per_task < job->total ? first + job->per_task : job->total;
    job->rows(job->d, first, last);
}

void roost_depthwise_nhwc_run(const roost_depthwise_nhwc *d, roost_isa isa, roost_pool *pool) {
    const size_t total = d->batch * d->oh;
    if (total == 0 || d->ow == 0 || d->channels == 0) return;
    dw_job job = {.d = d, .rows = rows_portable, .total = total};
#if defined(__x86_64__)
    if (isa == ROOST_ISA_AVX512 && roost_isa_supported(ROOST_ISA_AVX512))
        job.rows = roost_depthwise_nhwc_rows_avx512;
    else if ((isa == ROOST_ISA_AVX2 || isa == ROOST_ISA_AVX512) && roost_isa_supported(ROOST_ISA_AVX2))
        job.rows = roost_depthwise_nhwc_rows_avx2;
#else
    (void)isa;
#endif
    int threads = roost_pool_threads(pool);
    double work = (double)total * (double)d->ow * (double)d->channels * (double)(d->kh * d->kw);
    if (work < 65536.0) threads = 1;
    // A few row ranges per thread, claimed as threads come free (see roost_gemm_run).
    size_t tasks = threads > 1 ? (size_t)threads * ROOST_TASKS_PER_THREAD : 1;
    if (tasks > total) tasks = total;
    job.per_task = (total + tasks - 1) / tasks;
    int count = (int)((total + job.per_task - 1) / job.per_task);
    roost_pool_run(threads > 1 ? pool : NULL, count, dw_task, &job);
}
