// The 3-wide max pool's whole windows on 8 lanes: the window's rows reduced per
// column in registers (no row buffer), then, for stride 2, the row's even and
// odd columns taken apart with two shuffles — where the Swift loop copied the
// row, reduced it a row at a time and split it in memory before three loads an output.
#if defined(__x86_64__)
#include "roost_kernels.h"
#include <immintrin.h>

#define AVX2 __attribute__((target("avx2")))

/// Max over the window's rows of the 8 columns at p (rows ≥ 1).
AVX2 static inline __m256 column_max(const float *p, size_t row_stride, size_t rows) {
    __m256 m = _mm256_loadu_ps(p);
    // max(src, m) returns m when either is NaN: the scalar `src > m ? src : m`.
    for (size_t r = 1; r < rows; r++) m = _mm256_max_ps(_mm256_loadu_ps(p + r * row_stride), m);
    return m;
}

/// One column at p reduced over the rows (scalar: a stride-2 block's 17th column, short rows).
static inline float column_max1(const float *p, size_t row_stride, size_t rows) {
    float m = p[0];
    for (size_t r = 1; r < rows; r++) {
        float v = p[r * row_stride];
        m = v > m ? v : m;
    }
    return m;
}

/// One window (columns p..p+2) of a row too short for a vector block.
static inline float scalar_window(const float *p, size_t row_stride, size_t rows) {
    float a = column_max1(p, row_stride, rows), b = column_max1(p + 1, row_stride, rows), c = column_max1(p + 2, row_stride, rows);
    float m = b > a ? b : a;
    return c > m ? c : m;
}

/// Lanes 0, 2, 4, 6 of a then of b (even) or 1, 3, 5, 7 (odd).
AVX2 static inline __m256 even_lanes(__m256 a, __m256 b) {
    return _mm256_castpd_ps(_mm256_permute4x64_pd(_mm256_castps_pd(_mm256_shuffle_ps(a, b, 0x88)), 0xD8));
}
AVX2 static inline __m256 odd_lanes(__m256 a, __m256 b) {
    return _mm256_castpd_ps(_mm256_permute4x64_pd(_mm256_castps_pd(_mm256_shuffle_ps(a, b, 0xDD)), 0xD8));
}

AVX2 static inline __m256 max3(__m256 a, __m256 b, __m256 c) { return _mm256_max_ps(c, _mm256_max_ps(b, a)); }

/// Outputs i..i+7 of a stride-2 row: columns 2i..2i+15 as two vectors taken apart
/// into even and odd columns; the third tap (columns 2i+2..2i+16) is the even
/// vector moved down a lane with column 2i+16 last, so nothing past the last
/// window is read.
AVX2 static inline void stride2_block(const float *p, size_t row_stride, size_t rows, float *out) {
    __m256 v0 = column_max(p, row_stride, rows), v1 = column_max(p + 8, row_stride, rows);
    __m256 even = even_lanes(v0, v1), odd = odd_lanes(v0, v1);
    __m256 next = _mm256_permutevar8x32_ps(even, _mm256_setr_epi32(1, 2, 3, 4, 5, 6, 7, 7));
    next = _mm256_blend_ps(next, _mm256_set1_ps(column_max1(p + 16, row_stride, rows)), 0x80);
    _mm256_storeu_ps(out, max3(even, odd, next));
}

AVX2 static inline void stride1_block(const float *p, size_t row_stride, size_t rows, float *out) {
    __m256 a = column_max(p, row_stride, rows), b = column_max(p + 1, row_stride, rows), c = column_max(p + 2, row_stride, rows);
    _mm256_storeu_ps(out, max3(a, b, c));
}

AVX2 void roost_max_pool3_avx2(const float *top, size_t row_stride, size_t rows, size_t stride, float *out, size_t count) {
    if (rows == 0 || (stride != 1 && stride != 2)) return;
    if (count < 8) {
        for (size_t i = 0; i < count; i++) out[i] = scalar_window(top + stride * i, row_stride, rows);
        return;
    }
    // Whole blocks of 8, then one more ending at the last output (it recomputes
    // a few outputs of the block before, with the same result).
    for (size_t i = 0;; i += 8) {
        if (i + 8 > count) i = count - 8;
        if (stride == 2) stride2_block(top + 2 * i, row_stride, rows, out + i);
        else stride1_block(top + i, row_stride, rows, out + i);
        if (i + 8 == count) break;
    }
}
#endif
