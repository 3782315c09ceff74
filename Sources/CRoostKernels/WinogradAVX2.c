// AVX2 Winograd tile-row transforms: eight tiles a vector. The input reads the
// padded rows with two loads per 16 columns and splits even and odd columns;
// the output interleaves each tile's two columns back and applies the
// epilogue in registers. The last (fewer than eight) tiles of a row take the
// portable per-tile path.
#if defined(__x86_64__)
#include "WinogradInternal.h"
#include "ActivationAVX2.h"
#include <immintrin.h>

#define AVX2 __attribute__((target("avx2,fma")))

/// Columns 2k + j (k < 8) of the row at p, for j = 0..3.
AVX2 static inline void columns4(const float *p, __m256 c[4]) {
    __m256 a = _mm256_loadu_ps(p), b = _mm256_loadu_ps(p + 8);
    __m256 a2 = _mm256_loadu_ps(p + 2), b2 = _mm256_loadu_ps(p + 10);
    // shuffle keeps 128-bit lanes: [a0 a2 b0 b2 | a4 a6 b4 b6] → order the 64-bit pairs 0, 2, 1, 3.
    c[0] = _mm256_castpd_ps(_mm256_permute4x64_pd(_mm256_castps_pd(_mm256_shuffle_ps(a, b, 0x88)), 0xD8));
    c[1] = _mm256_castpd_ps(_mm256_permute4x64_pd(_mm256_castps_pd(_mm256_shuffle_ps(a, b, 0xDD)), 0xD8));
    c[2] = _mm256_castpd_ps(_mm256_permute4x64_pd(_mm256_castps_pd(_mm256_shuffle_ps(a2, b2, 0x88)), 0xD8));
    c[3] = _mm256_castpd_ps(_mm256_permute4x64_pd(_mm256_castps_pd(_mm256_shuffle_ps(a2, b2, 0xDD)), 0xD8));
}

void AVX2 roost_wino_input_row_avx2(const float *src, size_t ld, size_t tw, float *v, size_t vstride) {
    size_t tx = 0;
    for (; tx + 8 <= tw; tx += 8) {
        __m256 d[4][4], t[4][4];
        for (int i = 0; i < 4; i++) columns4(src + i * ld + 2 * tx, d[i]);
        for (int j = 0; j < 4; j++) {
            t[0][j] = _mm256_sub_ps(d[0][j], d[2][j]);
            t[1][j] = _mm256_add_ps(d[1][j], d[2][j]);
            t[2][j] = _mm256_sub_ps(d[2][j], d[1][j]);
            t[3][j] = _mm256_sub_ps(d[1][j], d[3][j]);
        }
        float *o = v + tx;
        for (int i = 0; i < 4; i++) {
            _mm256_storeu_ps(o + (4 * i + 0) * vstride, _mm256_sub_ps(t[i][0], t[i][2]));
            _mm256_storeu_ps(o + (4 * i + 1) * vstride, _mm256_add_ps(t[i][1], t[i][2]));
            _mm256_storeu_ps(o + (4 * i + 2) * vstride, _mm256_sub_ps(t[i][2], t[i][1]));
            _mm256_storeu_ps(o + (4 * i + 3) * vstride, _mm256_sub_ps(t[i][1], t[i][3]));
        }
    }
    for (; tx < tw; tx++) roost_wino_input_tile(src + 2 * tx, ld, v + tx, vstride);
}

/// The epilogue of eight consecutive output values of one channel (no bias_n).
AVX2 static inline __m256 finish8(const roost_epilogue *ep, __m256 v, size_t channel, size_t pixel) {
    if (ep->alpha != 1.0f) v = _mm256_mul_ps(v, _mm256_set1_ps(ep->alpha));
    if (ep->bias_m) v = _mm256_add_ps(v, _mm256_broadcast_ss(ep->bias_m + channel));
    if (ep->residual) v = _mm256_add_ps(v, _mm256_loadu_ps(ep->residual + channel * ep->ldr + pixel));
    // Operand order keeps NaN: max/min return their second operand when either is NaN.
    v = _mm256_min_ps(_mm256_set1_ps(ep->hi), _mm256_max_ps(_mm256_set1_ps(ep->lo), v));
    if (ep->leaky) {
        __m256 neg = _mm256_cmp_ps(v, _mm256_setzero_ps(), _CMP_LT_OQ);
        v = _mm256_blendv_ps(v, _mm256_mul_ps(v, _mm256_set1_ps(ep->leaky_alpha)), neg);
    }
    if (ep->act) v = roost_act8(ep->act, v);
    return v;
}

void AVX2 roost_wino_output_row_avx2(const float *m, size_t mstride, size_t tw, size_t rows, size_t ow, float *y,
                                     const roost_epilogue *ep, size_t channel, size_t pixel0) {
    size_t tx = 0;
    // Full vectors only while all 16 columns of eight tiles are inside the row.
    int vector = !ep->bias_n;
    for (; vector && tx + 8 <= tw && 2 * tx + 16 <= ow; tx += 8) {
        __m256 s[2][4];
        for (int j = 0; j < 4; j++) {
            __m256 m0 = _mm256_loadu_ps(m + (0 + j) * mstride + tx), m1 = _mm256_loadu_ps(m + (4 + j) * mstride + tx);
            __m256 m2 = _mm256_loadu_ps(m + (8 + j) * mstride + tx), m3 = _mm256_loadu_ps(m + (12 + j) * mstride + tx);
            s[0][j] = _mm256_add_ps(_mm256_add_ps(m0, m1), m2);
            s[1][j] = _mm256_sub_ps(_mm256_sub_ps(m1, m2), m3);
        }
        for (size_t r = 0; r < rows; r++) {
            __m256 c0 = _mm256_add_ps(_mm256_add_ps(s[r][0], s[r][1]), s[r][2]);
            __m256 c1 = _mm256_sub_ps(_mm256_sub_ps(s[r][1], s[r][2]), s[r][3]);
            __m256 lo = _mm256_unpacklo_ps(c0, c1), hi = _mm256_unpackhi_ps(c0, c1);
            size_t ox = 2 * tx, pixel = pixel0 + r * ow + ox;
            __m256 first = _mm256_permute2f128_ps(lo, hi, 0x20), second = _mm256_permute2f128_ps(lo, hi, 0x31);
            _mm256_storeu_ps(y + r * ow + ox, finish8(ep, first, channel, pixel));
            _mm256_storeu_ps(y + r * ow + ox + 8, finish8(ep, second, channel, pixel + 8));
        }
    }
    for (; tx < tw; tx++) {
        size_t ox = 2 * tx, cols = ow - ox < 2 ? ow - ox : 2;
        roost_wino_output_tile(m + tx, mstride, rows, cols, y + ox, ow, ep, channel, pixel0 + ox);
    }
}
#endif
