// The unfused pass of a transcendental activation (a Sigmoid or SiLU whose
// producer cannot take it as an epilogue), 8 lanes at a time with the formulas
// the fused epilogues use. The portable Swift loop gets at most SSE's 4 lanes and
// a division: 2.4 ms for 1.2 M sigmoids on Zen 3.
#if defined(__x86_64__)
#include "ActivationAVX2.h"

__attribute__((target("avx2,fma"))) void roost_activation_avx2(int act, const float *x, float *y, size_t n) {
    size_t i = 0;
    for (; i + 16 <= n; i += 16) {
        __m256 a = roost_act8(act, _mm256_loadu_ps(x + i)), b = roost_act8(act, _mm256_loadu_ps(x + i + 8));
        _mm256_storeu_ps(y + i, a);
        _mm256_storeu_ps(y + i + 8, b);
    }
    for (; i + 8 <= n; i += 8) _mm256_storeu_ps(y + i, roost_act8(act, _mm256_loadu_ps(x + i)));
    for (; i < n; i++) y[i] = roost_act1(act, x[i]);
}
#endif
