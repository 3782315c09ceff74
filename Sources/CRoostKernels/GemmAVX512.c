// AVX-512F: a 6×32 register tile over two adjacent 16-column B panels (12 zmm
// accumulators, two B vectors and a broadcast A value), its 4- and 2-row forms for
// a short last panel, and a one-panel 6×16 form for an odd last panel. Same packed
// layouts as the AVX2 kernels (6-row A panels, 16-column B panels), so an artifact's
// pre-packed weights serve either family; partial tiles use AVX-512 lane masks.
// Each form also reads A straight from row-major rows (`_rows`, stride lda): the
// broadcast costs the same from either layout, so a plain A — a channels-last
// activation, an MLP's batch — needs no packing pass.
#if defined(__x86_64__)
#include "ActivationAVX2.h"
#include <immintrin.h>

#define AVX512 __attribute__((target("avx512f,fma")))

/// The lanes of the first `cols` (≤ 16) columns of a panel.
AVX512 static inline __mmask16 lanes(size_t cols) {
    return cols >= 16 ? (__mmask16)0xFFFF : (__mmask16)((1u << cols) - 1u);
}

/// GELU of 16 lanes with the rational erf roost_gelu uses.
AVX512 static inline __m512 gelu16(__m512 x) {
    static const float p[] = ROOST_ERF_P, q[] = ROOST_ERF_Q;
    __m512 v = _mm512_mul_ps(x, _mm512_set1_ps(0.70710677f));
    v = _mm512_min_ps(_mm512_set1_ps(4.0f), _mm512_max_ps(_mm512_set1_ps(-4.0f), v));
    __m512 v2 = _mm512_mul_ps(v, v), a = _mm512_set1_ps(p[0]), b = _mm512_set1_ps(q[0]);
    for (int i = 1; i < 7; i++) a = _mm512_add_ps(_mm512_mul_ps(a, v2), _mm512_set1_ps(p[i]));
    for (int i = 1; i < 5; i++) b = _mm512_add_ps(_mm512_mul_ps(b, v2), _mm512_set1_ps(q[i]));
    __m512 erf = _mm512_div_ps(_mm512_mul_ps(v, a), b);
    return _mm512_mul_ps(_mm512_mul_ps(_mm512_set1_ps(0.5f), x), _mm512_add_ps(_mm512_set1_ps(1.0f), erf));
}

/// SiLU or sigmoid of 16 lanes as two halves on the AVX2 forms (every AVX-512F
/// CPU has AVX2 + FMA): one formula for both families, and the AVX2 one is what
/// the tests here can run.
AVX512 static inline __m512 act16_halves(int act, __m512 v) {
    __m256 lo = roost_act8(act, _mm512_castps512_ps256(v));
    __m256 hi = roost_act8(act, _mm256_castpd_ps(_mm512_extractf64x4_pd(_mm512_castps_pd(v), 1)));
    return _mm512_castpd_ps(_mm512_insertf64x4(_mm512_castps_pd(_mm512_castps256_ps512(lo)), _mm256_castps_pd(hi), 1));
}

/// The epilogue of 16 columns of one row (col0 their first), in registers.
AVX512 static inline __m512 finish16(const roost_epilogue *ep, __m512 v, size_t row, size_t col0, __mmask16 m) {
    if (ep->alpha != 1.0f) v = _mm512_mul_ps(v, _mm512_set1_ps(ep->alpha));
    if (ep->bias_m) v = _mm512_add_ps(v, _mm512_set1_ps(ep->bias_m[row]));
    if (ep->bias_n) v = _mm512_add_ps(v, _mm512_maskz_loadu_ps(m, ep->bias_n + col0));
    if (ep->residual) v = _mm512_add_ps(v, _mm512_maskz_loadu_ps(m, ep->residual + row * ep->ldr + col0));
    // Operand order keeps NaN: max/min return their second operand when either is NaN.
    v = _mm512_min_ps(_mm512_set1_ps(ep->hi), _mm512_max_ps(_mm512_set1_ps(ep->lo), v));
    if (ep->leaky) {
        __mmask16 neg = _mm512_cmp_ps_mask(v, _mm512_setzero_ps(), _CMP_LT_OQ);
        v = _mm512_mask_mul_ps(v, neg, v, _mm512_set1_ps(ep->leaky_alpha));
    }
    if (ep->act == ROOST_ACT_GELU) v = gelu16(v);
    else if (ep->act) v = act16_halves(ep->act, v);
    return v;
}

/// 16 columns of one tile row to C: accumulate onto C (a later K block), then the
/// epilogue on the last K block (ep != NULL), then the store of the `m` lanes.
AVX512 static inline void store16(float *c, __m512 v, int accumulate, const roost_epilogue *ep, size_t row, size_t col0,
                                  __mmask16 m) {
    if (!m) return;
    if (accumulate) v = _mm512_add_ps(v, _mm512_maskz_loadu_ps(m, c));
    if (ep) v = finish16(ep, v, row, col0, m);
    if (m == 0xFFFF) _mm512_storeu_ps(c, v);
    else _mm512_mask_storeu_ps(c, m, v);
}

#define ROW_FMA2(r)                                  \
    do {                                             \
        __m512 av = _mm512_set1_ps(a[o##r]);     \
        c##r##0 = _mm512_fmadd_ps(av, b0, c##r##0);  \
        c##r##1 = _mm512_fmadd_ps(av, b1, c##r##1);  \
    } while (0)
#define ROW_FMA1(r)                                  \
    do {                                             \
        c##r##0 = _mm512_fmadd_ps(_mm512_set1_ps(a[o##r]), b0, c##r##0); \
    } while (0)

/// Where each tile row's A values start: row r at r·rs; for plain rows, a row at
/// or past mr reads row mr − 1 instead (a packed panel is zero-padded, plain A ends
/// at its last row). Constants when rs is 1.
#define ROW_OFFSET(r) (((r) < mr || rs == 1 ? (size_t)(r) : mr - 1) * rs)
#define ROW_OFFSETS                                                                   \
    const size_t o0 = 0, o1 = ROW_OFFSET(1), o2 = ROW_OFFSET(2), o3 = ROW_OFFSET(3);  \
    const size_t o4 = ROW_OFFSET(4), o5 = ROW_OFFSET(5);                              \
    (void)o0; (void)o1; (void)o2; (void)o3; (void)o4; (void)o5

#define ROWS2_6 ROW_FMA2(0); ROW_FMA2(1); ROW_FMA2(2); ROW_FMA2(3); ROW_FMA2(4); ROW_FMA2(5)
#define ROWS2_4 ROW_FMA2(0); ROW_FMA2(1); ROW_FMA2(2); ROW_FMA2(3)
#define ROWS2_2 ROW_FMA2(0); ROW_FMA2(1)
#define ROWS1_6 ROW_FMA1(0); ROW_FMA1(1); ROW_FMA1(2); ROW_FMA1(3); ROW_FMA1(4); ROW_FMA1(5)

#define STEP2(ROWS)                                   \
    do {                                              \
        __m512 b0 = _mm512_loadu_ps(p0);              \
        __m512 b1 = _mm512_loadu_ps(p1);              \
        ROWS;                                         \
        a += ks; p0 += NR; p1 += NR;                  \
    } while (0)

/// The two-panel tile's k loop for the first ROWS rows of an A panel.
#define TILE2_LOOP(ROWS)                                          \
    const float *p0 = b0p, *p1 = b1p;                             \
    size_t k = 0;                                                 \
    for (; k + 4 <= kc; k += 4) {                                 \
        _mm_prefetch((const char *)(p0 + 8 * NR), _MM_HINT_T0);   \
        _mm_prefetch((const char *)(p1 + 8 * NR), _MM_HINT_T0);   \
        STEP2(ROWS); STEP2(ROWS); STEP2(ROWS); STEP2(ROWS);       \
    }                                                             \
    for (; k < kc; k++) STEP2(ROWS);                              \
    const __mmask16 m0 = lanes(nr), m1 = lanes(nr > NR ? nr - NR : 0)

#define STORE2(r)                                                                              \
    do {                                                                                       \
        store16(c + (r) * ldc, c##r##0, accumulate, ep, row0 + (r), col0, m0);                 \
        store16(c + (r) * ldc + NR, c##r##1, accumulate, ep, row0 + (r), col0 + NR, m1);       \
    } while (0)

/// mr ≤ 6 rows × 16 < nr ≤ 32 columns: A element (r, k) at a[r·rs + k·ks] (a packed
/// panel: rs 1, ks MR; plain rows: rs lda, ks 1), B panels b0p (columns 0–15) and b1p (16–31).
AVX512 static inline __attribute__((always_inline)) void tile2(size_t kc, const float *a, size_t rs, size_t ks,
                                                               const float *b0p, const float *b1p, float *c, size_t ldc,
                                                               size_t mr, size_t nr, int accumulate, const roost_epilogue *ep,
                                                               size_t row0, size_t col0) {
    ROW_OFFSETS;
    if (mr <= 2) {
        __m512 c00 = _mm512_setzero_ps(), c01 = c00, c10 = c00, c11 = c00;
        TILE2_LOOP(ROWS2_2);
        STORE2(0);
        if (mr > 1) STORE2(1);
        return;
    }
    if (mr <= 4) {
        __m512 c00 = _mm512_setzero_ps(), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00, c30 = c00, c31 = c00;
        TILE2_LOOP(ROWS2_4);
        STORE2(0); STORE2(1); STORE2(2);
        if (mr > 3) STORE2(3);
        return;
    }
    __m512 c00 = _mm512_setzero_ps(), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00;
    __m512 c30 = c00, c31 = c00, c40 = c00, c41 = c00, c50 = c00, c51 = c00;
    TILE2_LOOP(ROWS2_6);
    STORE2(0); STORE2(1); STORE2(2); STORE2(3); STORE2(4);
    if (mr > 5) STORE2(5);
}

/// The one-panel form (nr ≤ 16), for an odd last panel: six accumulators.
AVX512 static inline __attribute__((always_inline)) void tile1(size_t kc, const float *a, size_t rs, size_t ks, const float *b,
                                                               float *c, size_t ldc, size_t mr, size_t nr, int accumulate,
                                                               const roost_epilogue *ep, size_t row0, size_t col0) {
    __m512 c00 = _mm512_setzero_ps(), c10 = c00, c20 = c00, c30 = c00, c40 = c00, c50 = c00;
    ROW_OFFSETS;
    for (size_t k = 0; k < kc; k++, a += ks, b += NR) {
        const __m512 b0 = _mm512_loadu_ps(b);
        ROWS1_6;
    }
    const __mmask16 m0 = lanes(nr);
    store16(c, c00, accumulate, ep, row0, col0, m0);
    if (mr > 1) store16(c + ldc, c10, accumulate, ep, row0 + 1, col0, m0);
    if (mr > 2) store16(c + 2 * ldc, c20, accumulate, ep, row0 + 2, col0, m0);
    if (mr > 3) store16(c + 3 * ldc, c30, accumulate, ep, row0 + 3, col0, m0);
    if (mr > 4) store16(c + 4 * ldc, c40, accumulate, ep, row0 + 4, col0, m0);
    if (mr > 5) store16(c + 5 * ldc, c50, accumulate, ep, row0 + 5, col0, m0);
}

AVX512 void roost_ukernel2_avx512(size_t kc, const float *a, const float *b0p, const float *b1p, float *c, size_t ldc,
                                  size_t mr, size_t nr, int accumulate, const roost_epilogue *ep, size_t row0, size_t col0) {
    tile2(kc, a, 1, MR, b0p, b1p, c, ldc, mr, nr, accumulate, ep, row0, col0);
}

AVX512 void roost_ukernel1_avx512(size_t kc, const float *a, const float *b, float *c, size_t ldc,
                                  size_t mr, size_t nr, int accumulate, const roost_epilogue *ep, size_t row0, size_t col0) {
    tile1(kc, a, 1, MR, b, c, ldc, mr, nr, accumulate, ep, row0, col0);
}

AVX512 void roost_ukernel2_avx512_rows(size_t kc, const float *a, size_t lda, const float *b0p, const float *b1p, float *c,
                                       size_t ldc, size_t mr, size_t nr, int accumulate, const roost_epilogue *ep,
                                       size_t row0, size_t col0) {
    tile2(kc, a, lda, 1, b0p, b1p, c, ldc, mr, nr, accumulate, ep, row0, col0);
}

AVX512 void roost_ukernel1_avx512_rows(size_t kc, const float *a, size_t lda, const float *b, float *c, size_t ldc,
                                       size_t mr, size_t nr, int accumulate, const roost_epilogue *ep, size_t row0, size_t col0) {
    tile1(kc, a, lda, 1, b, c, ldc, mr, nr, accumulate, ep, row0, col0);
}
#endif
