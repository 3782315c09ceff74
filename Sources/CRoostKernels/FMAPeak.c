// The machine's measured single-precision FMA limit: independent FMA chains on
// registers (no memory traffic), one thread per CPU, for a fixed time.
#define _GNU_SOURCE
#include "roost_kernels.h"
#include <pthread.h>
#include <time.h>
#if defined(__x86_64__)
#include <immintrin.h>
#elif defined(__aarch64__)
#include <arm_neon.h>
#endif

static double seconds_now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

typedef struct { roost_isa isa; double seconds; double flops; } peak_arg;

#if defined(__x86_64__)
__attribute__((target("avx2,fma"))) static double chains_avx2(double seconds) {
    __m256 a = _mm256_set1_ps(0.999f), b = _mm256_set1_ps(1e-7f);
    __m256 c0 = _mm256_set1_ps(1), c1 = c0, c2 = c0, c3 = c0, c4 = c0, c5 = c0, c6 = c0, c7 = c0, c8 = c0, c9 = c0;
    double start = seconds_now(), flops = 0;
    for (;;) {
        for (int i = 0; i < 4096; i++) {
            c0 = _mm256_fmadd_ps(c0, a, b); c1 = _mm256_fmadd_ps(c1, a, b); c2 = _mm256_fmadd_ps(c2, a, b);
            c3 = _mm256_fmadd_ps(c3, a, b); c4 = _mm256_fmadd_ps(c4, a, b); c5 = _mm256_fmadd_ps(c5, a, b);
            c6 = _mm256_fmadd_ps(c6, a, b); c7 = _mm256_fmadd_ps(c7, a, b); c8 = _mm256_fmadd_ps(c8, a, b);
            c9 = _mm256_fmadd_ps(c9, a, b);
        }
        flops += 4096.0 * 10 * 8 * 2;
        if (seconds_now() - start >= seconds) break;
    }
    // Keep the chains alive.
    __m256 s = _mm256_add_ps(_mm256_add_ps(_mm256_add_ps(c0, c1), _mm256_add_ps(c2, c3)),
                             _mm256_add_ps(_mm256_add_ps(c4, c5), _mm256_add_ps(_mm256_add_ps(c6, c7), _mm256_add_ps(c8, c9))));
    float out[8];
    _mm256_storeu_ps(out, s);
    if (out[0] == 12345.0f) flops += 1;
    return flops / (seconds_now() - start);
}

__attribute__((target("avx512f"))) static double chains_avx512(double seconds) {
    __m512 a = _mm512_set1_ps(0.999f), b = _mm512_set1_ps(1e-7f);
    __m512 c0 = _mm512_set1_ps(1), c1 = c0, c2 = c0, c3 = c0, c4 = c0, c5 = c0, c6 = c0, c7 = c0, c8 = c0, c9 = c0;
    double start = seconds_now(), flops = 0;
    for (;;) {
        for (int i = 0; i < 4096; i++) {
            c0 = _mm512_fmadd_ps(c0, a, b); c1 = _mm512_fmadd_ps(c1, a, b); c2 = _mm512_fmadd_ps(c2, a, b);
            c3 = _mm512_fmadd_ps(c3, a, b); c4 = _mm512_fmadd_ps(c4, a, b); c5 = _mm512_fmadd_ps(c5, a, b);
            c6 = _mm512_fmadd_ps(c6, a, b); c7 = _mm512_fmadd_ps(c7, a, b); c8 = _mm512_fmadd_ps(c8, a, b);
            c9 = _mm512_fmadd_ps(c9, a, b);
        }
        flops += 4096.0 * 10 * 16 * 2;
        if (seconds_now() - start >= seconds) break;
    }
    __m512 s = _mm512_add_ps(_mm512_add_ps(_mm512_add_ps(c0, c1), _mm512_add_ps(c2, c3)),
                             _mm512_add_ps(_mm512_add_ps(c4, c5), _mm512_add_ps(_mm512_add_ps(c6, c7), _mm512_add_ps(c8, c9))));
    float out[16];
    _mm512_storeu_ps(out, s);
    if (out[0] == 12345.0f) flops += 1;
    return flops / (seconds_now() - start);
}
#endif

#if defined(__aarch64__)
/// 16 chains: four 128-bit FMA pipes (Neoverse V1/V2) × a 4-cycle latency.
static double chains_neon(double seconds) {
    const float32x4_t a = vdupq_n_f32(0.999f), b = vdupq_n_f32(1e-7f);
    float32x4_t c[16];
    for (int j = 0; j < 16; j++) c[j] = vdupq_n_f32(1);
    double start = seconds_now(), flops = 0;
    for (;;) {
        for (int i = 0; i < 4096; i++)
            for (int j = 0; j < 16; j++) c[j] = vfmaq_f32(b, c[j], a);
        flops += 4096.0 * 16 * 4 * 2;
        if (seconds_now() - start >= seconds) break;
    }
    float32x4_t s = c[0];
    for (int j = 1; j < 16; j++) s = vaddq_f32(s, c[j]);
    if (vgetq_lane_f32(s, 0) == 12345.0f) flops += 1;
    return flops / (seconds_now() - start);
}
#endif

static double chains_portable(double seconds) {
    volatile float sink;
    float c[16];
    for (int i = 0; i < 16; i++) c[i] = 1;
    double start = seconds_now(), flops = 0;
    for (;;) {
        for (int i = 0; i < 4096; i++)
            for (int j = 0; j < 16; j++) c[j] = c[j] * 0.999f + 1e-7f;
        flops += 4096.0 * 16 * 2;
        if (seconds_now() - start >= seconds) break;
    }
    sink = c[0];
    (void)sink;
    return flops / (seconds_now() - start);
}

static void *peak_thread(void *p) {
    peak_arg *arg = p;
#if defined(__x86_64__)
    if (arg->isa == ROOST_ISA_AVX512 && roost_isa_supported(ROOST_ISA_AVX512)) {
        arg->flops = chains_avx512(arg->seconds);
        return NULL;
    }
    if (arg->isa == ROOST_ISA_AVX2 && roost_isa_supported(ROOST_ISA_AVX2)) {
        arg->flops = chains_avx2(arg->seconds);
        return NULL;
    }
#elif defined(__aarch64__)
    if (arg->isa == ROOST_ISA_NEON) {
        arg->flops = chains_neon(arg->seconds);
        return NULL;
    }
#endif
    arg->flops = chains_portable(arg->seconds);
    return NULL;
}

double roost_fma_peak(roost_isa isa, int threads, double seconds) {
    if (threads < 1) threads = 1;
    if (threads > 256) threads = 256;
    pthread_t ids[256];
    peak_arg args[256];
    for (int i = 0; i < threads; i++) args[i] = (peak_arg){.isa = isa, .seconds = seconds, .flops = 0};
    for (int i = 1; i < threads; i++) pthread_create(&ids[i], NULL, peak_thread, &args[i]);
    peak_thread(&args[0]);
    double total = args[0].flops;
    for (int i = 1; i < threads; i++) {
        pthread_join(ids[i], NULL);
        total += args[i].flops;
    }
    return total;
}
