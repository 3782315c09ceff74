// The unfused pass of a transcendental activation (a Sigmoid or SiLU whose
// producer cannot take it as an epilogue, or a depthwise conv's output plane),
// 8 lanes at a time with the formulas the fused epilogues use. One loop per kind
// (the switch outside it) and four independent vectors per iteration: with the
// switch inside and two vectors, clang's loop waited on the polynomials' latency
// (SiLU over 8192 floats in L1, Zen 3: 0.64–0.91 → 0.45 ns a float). The
// portable Swift loop gets at most SSE's 4 lanes and a division: 2.4 ms for 1.2 M
// sigmoids.
#if defined(__x86_64__)
#include "ActivationAVX2.h"

#define AVX2 __attribute__((target("avx2,fma")))

#define ACTIVATION_PASS(NAME, F, ACT)                                                         \
    AVX2 static void NAME(const float *x, float *y, size_t n) {                              \
        size_t i = 0;                                                                         \
        for (; i + 32 <= n; i += 32) {                                                        \
            __m256 a = F(_mm256_loadu_ps(x + i)), b = F(_mm256_loadu_ps(x + i + 8));          \
            __m256 c = F(_mm256_loadu_ps(x + i + 16)), d = F(_mm256_loadu_ps(x + i + 24));    \
            _mm256_storeu_ps(y + i, a);                                                       \
            _mm256_storeu_ps(y + i + 8, b);                                                   \
            _mm256_storeu_ps(y + i + 16, c);                                                  \
            _mm256_storeu_ps(y + i + 24, d);                                                  \
        }                                                                                     \
        for (; i + 8 <= n; i += 8) _mm256_storeu_ps(y + i, F(_mm256_loadu_ps(x + i)));       \
        for (; i < n; i++) y[i] = roost_act1(ACT, x[i]);                                      \
    }

ACTIVATION_PASS(gelu_pass, roost_gelu8, ROOST_ACT_GELU)
ACTIVATION_PASS(silu_pass, roost_silu8, ROOST_ACT_SILU)
ACTIVATION_PASS(sigmoid_pass, roost_sigmoid8, ROOST_ACT_SIGMOID)

AVX2 void roost_activation_avx2(int act, const float *x, float *y, size_t n) {
    switch (act) {
    case ROOST_ACT_GELU: gelu_pass(x, y, n); break;
    case ROOST_ACT_SILU: silu_pass(x, y, n); break;
    case ROOST_ACT_SIGMOID: sigmoid_pass(x, y, n); break;
    default:
        if (x != y) __builtin_memmove(y, x, n * sizeof(float));
    }
}
#endif
