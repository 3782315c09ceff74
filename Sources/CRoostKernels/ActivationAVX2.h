// The transcendental activations on 8 lanes (AVX2 + FMA), shared by the GEMM
// tile, the direct and Winograd convolutions' epilogues, softmax and the
// elementwise pass, so a fused activation computes what the separate pass does.
// e^x is the runtime's FastMath.exp (same range reduction, degree-7 polynomial);
// erf is FastMath's rational. Quotients use a reciprocal estimate with one Newton
// step (relative error ≈ 2⁻²²): a division costs the tile as much as its polynomials.
#ifndef ROOST_ACTIVATION_AVX2_H
#define ROOST_ACTIVATION_AVX2_H
#if defined(__x86_64__)
#include "GemmInternal.h"
#include <immintrin.h>

#define ROOST_AVX2_INLINE static inline __attribute__((target("avx2,fma"), always_inline))

/// e^x, clamped to [−87, 88] first; NaN stays NaN (the clamp's operand order passes it on).
ROOST_AVX2_INLINE __m256 roost_exp8(__m256 x) {
    x = _mm256_min_ps(_mm256_set1_ps(88.0f), _mm256_max_ps(_mm256_set1_ps(-87.0f), x));
    const __m256 magic = _mm256_set1_ps(12582912.0f);
    __m256 t = _mm256_fmadd_ps(x, _mm256_set1_ps(1.44269504f), magic);
    __m256 n = _mm256_sub_ps(t, magic);
    __m256i bits = _mm256_sub_epi32(_mm256_castps_si256(t), _mm256_set1_epi32(0x4B400000));
    __m256 r = _mm256_fnmadd_ps(n, _mm256_set1_ps(1.4286068e-6f), _mm256_fnmadd_ps(n, _mm256_set1_ps(0.69314575f), x));
    static const float c[] = {1.0f / 720, 1.0f / 120, 1.0f / 24, 1.0f / 6, 0.5f, 1.0f, 1.0f};
    __m256 p = _mm256_set1_ps(1.0f / 5040);
    for (int i = 0; i < 7; i++) p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(c[i]));
    __m256 scale = _mm256_castsi256_ps(_mm256_slli_epi32(_mm256_add_epi32(bits, _mm256_set1_epi32(127)), 23));
    return _mm256_mul_ps(p, scale);
}

/// 1 / d for d ≥ 1 (the sigmoid's and erf's denominators never come near zero).
ROOST_AVX2_INLINE __m256 roost_recip8(__m256 d) {
    __m256 r = _mm256_rcp_ps(d);
    return _mm256_mul_ps(r, _mm256_fnmadd_ps(d, r, _mm256_set1_ps(2.0f)));
}

/// 1 / (1 + e^−x). Past x = −87 the denominator outgrows the reciprocal estimate
/// and the result is 0 (FastMath gives a denormal there).
ROOST_AVX2_INLINE __m256 roost_sigmoid8(__m256 x) {
    __m256 e = roost_exp8(_mm256_sub_ps(_mm256_setzero_ps(), x));
    return roost_recip8(_mm256_add_ps(_mm256_set1_ps(1.0f), e));
}

/// x · sigmoid(x) (SiLU, ONNX Swish with alpha 1).
ROOST_AVX2_INLINE __m256 roost_silu8(__m256 x) { return _mm256_mul_ps(x, roost_sigmoid8(x)); }

/// GELU with FastMath's rational erf, its polynomials on FMAs: the division and
/// separate multiplies and adds cost 116 of a 128 × 1024 × 256 product's 824 µs
/// on Zen 3, this form 78.
ROOST_AVX2_INLINE __m256 roost_gelu8(__m256 x) {
    static const float p[] = ROOST_ERF_P, q[] = ROOST_ERF_Q;
    __m256 v = _mm256_mul_ps(x, _mm256_set1_ps(0.70710677f));
    v = _mm256_min_ps(_mm256_set1_ps(4.0f), _mm256_max_ps(_mm256_set1_ps(-4.0f), v));
    __m256 v2 = _mm256_mul_ps(v, v), a = _mm256_set1_ps(p[0]), b = _mm256_set1_ps(q[0]);
    for (int i = 1; i < 7; i++) a = _mm256_fmadd_ps(a, v2, _mm256_set1_ps(p[i]));
    for (int i = 1; i < 5; i++) b = _mm256_fmadd_ps(b, v2, _mm256_set1_ps(q[i]));
    __m256 r = _mm256_rcp_ps(b);
    r = _mm256_mul_ps(r, _mm256_fnmadd_ps(b, r, _mm256_set1_ps(2.0f)));
    __m256 erf = _mm256_mul_ps(_mm256_mul_ps(v, a), r);
    __m256 half = _mm256_mul_ps(_mm256_set1_ps(0.5f), x);
    return _mm256_fmadd_ps(half, erf, half);
}

/// The epilogue's last step (roost_act) on 8 lanes.
ROOST_AVX2_INLINE __m256 roost_act8(int act, __m256 x) {
    switch (act) {
    case ROOST_ACT_GELU: return roost_gelu8(x);
    case ROOST_ACT_SILU: return roost_silu8(x);
    case ROOST_ACT_SIGMOID: return roost_sigmoid8(x);
    default: return x;
    }
}
#endif
#endif
