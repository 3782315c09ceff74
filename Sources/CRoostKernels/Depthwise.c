// The inner loop of the direct depthwise convolution: output blocks of 16
// contiguous positions, each a weighted sum of the input at fixed tap offsets
// (the Swift kernel lays the padded, stride-phased input out so that every tap
// is one contiguous run), and the split of a stride-2 conv's input rows into their
// column phases. AVX2 + FMA here; the portable loops are the Swift ones.
#include "roost_kernels.h"
#if defined(__x86_64__)
#include <immintrin.h>

#define AVX2 __attribute__((target("avx2,fma")))

AVX2 void roost_depthwise_blocks_avx2(size_t blocks, const float *x, const ptrdiff_t *offsets, size_t taps,
                                      const float *w, float *out) {
    if (taps == 9) {
        const __m256 w0 = _mm256_broadcast_ss(w), w1 = _mm256_broadcast_ss(w + 1), w2 = _mm256_broadcast_ss(w + 2);
        const __m256 w3 = _mm256_broadcast_ss(w + 3), w4 = _mm256_broadcast_ss(w + 4), w5 = _mm256_broadcast_ss(w + 5);
        const __m256 w6 = _mm256_broadcast_ss(w + 6), w7 = _mm256_broadcast_ss(w + 7), w8 = _mm256_broadcast_ss(w + 8);
        const float *p0 = x + offsets[0], *p1 = x + offsets[1], *p2 = x + offsets[2], *p3 = x + offsets[3];
        const float *p4 = x + offsets[4], *p5 = x + offsets[5], *p6 = x + offsets[6], *p7 = x + offsets[7];
        const float *p8 = x + offsets[8];
        for (size_t q = 0; q < blocks * 16; q += 8) {
            __m256 a = _mm256_mul_ps(w0, _mm256_loadu_ps(p0 + q));
            __m256 b = _mm256_mul_ps(w1, _mm256_loadu_ps(p1 + q));
            a = _mm256_fmadd_ps(w2, _mm256_loadu_ps(p2 + q), a);
            b = _mm256_fmadd_ps(w3, _mm256_loadu_ps(p3 + q), b);
            a = _mm256_fmadd_ps(w4, _mm256_loadu_ps(p4 + q), a);
            b = _mm256_fmadd_ps(w5, _mm256_loadu_ps(p5 + q), b);
            a = _mm256_fmadd_ps(w6, _mm256_loadu_ps(p6 + q), a);
            b = _mm256_fmadd_ps(w7, _mm256_loadu_ps(p7 + q), b);
            a = _mm256_fmadd_ps(w8, _mm256_loadu_ps(p8 + q), a);
            _mm256_storeu_ps(out + q, _mm256_add_ps(a, b));
        }
        return;
    }
    for (size_t q = 0; q < blocks * 16; q += 16) {
        __m256 a = _mm256_setzero_ps(), b = a;
        for (size_t t = 0; t < taps; t++) {
            __m256 wt = _mm256_broadcast_ss(w + t);
            const float *src = x + q + offsets[t];
            a = _mm256_fmadd_ps(wt, _mm256_loadu_ps(src), a);
            b = _mm256_fmadd_ps(wt, _mm256_loadu_ps(src + 8), b);
        }
        _mm256_storeu_ps(out + q, a);
        _mm256_storeu_ps(out + q + 8, b);
    }
}

AVX2 void roost_depthwise_finish_avx2(const float *acc, size_t pitch, size_t rows, size_t cols, float *y,
                                      float bias, const float *residual, float lo, float hi) {
    const __m256 b = _mm256_set1_ps(bias), vlo = _mm256_set1_ps(lo), vhi = _mm256_set1_ps(hi);
    for (size_t r = 0; r < rows; r++, acc += pitch, y += cols) {
        const float *res = residual ? residual + r * cols : NULL;
        size_t c = 0;
        // A row ends with a whole vector wherever that stays inside the plane: its
        // lanes past the row land on later rows' outputs, which those rows then
        // overwrite (y never aliases the input or the residual), so short rows (7,
        // 14 wide) need no scalar tail except in the plane's last row.
        const size_t room = (rows - r) * cols;
        for (; c < cols && c + 8 <= room; c += 8) {
            __m256 v = _mm256_add_ps(_mm256_loadu_ps(acc + c), b);
            if (res) v = _mm256_add_ps(v, _mm256_loadu_ps(res + c));
            // Operand order keeps NaN: max/min return their second operand when either is NaN.
            _mm256_storeu_ps(y + c, _mm256_min_ps(vhi, _mm256_max_ps(vlo, v)));
        }
        for (; c < cols; c++) {
            float v = acc[c] + bias + (res ? res[c] : 0.0f);
            v = v < lo ? lo : v;
            y[c] = v > hi ? hi : v;
        }
    }
}

AVX2 void roost_deinterleave2_avx2(const float *src, size_t n, float *even, float *odd) {
    size_t i = 0;
    for (; i + 16 <= n; i += 16) {
        const __m256 a = _mm256_loadu_ps(src + i), b = _mm256_loadu_ps(src + i + 8);
        // Within each 128-bit lane: [a0 a2 b0 b2] and [a1 a3 b1 b3]; then the 64-bit
        // quarters reordered to [a0 a2 a4 a6 b0 b2 b4 b6].
        const __m256 e = _mm256_shuffle_ps(a, b, _MM_SHUFFLE(2, 0, 2, 0));
        const __m256 o = _mm256_shuffle_ps(a, b, _MM_SHUFFLE(3, 1, 3, 1));
        _mm256_storeu_ps(even + i / 2, _mm256_castpd_ps(_mm256_permute4x64_pd(_mm256_castps_pd(e), _MM_SHUFFLE(3, 1, 2, 0))));
        _mm256_storeu_ps(odd + i / 2, _mm256_castpd_ps(_mm256_permute4x64_pd(_mm256_castps_pd(o), _MM_SHUFFLE(3, 1, 2, 0))));
    }
    for (; i < n; i++) {
        if (i % 2 == 0) even[i / 2] = src[i]; else odd[i / 2] = src[i];
    }
}
#else
void roost_deinterleave2_avx2(const float *src, size_t n, float *even, float *odd) {
    for (size_t i = 0; i < n; i++) {
        if (i % 2 == 0) even[i / 2] = src[i]; else odd[i / 2] = src[i];
    }
}
// Other ISAs never get an artifact that asks for this kernel; the plain loop keeps the symbol defined.
void roost_depthwise_finish_avx2(const float *acc, size_t pitch, size_t rows, size_t cols, float *y,
                                 float bias, const float *residual, float lo, float hi) {
    for (size_t r = 0; r < rows; r++)
        for (size_t c = 0; c < cols; c++) {
            float v = acc[r * pitch + c] + bias + (residual ? residual[r * cols + c] : 0.0f);
            v = v < lo ? lo : v;
            y[r * cols + c] = v > hi ? hi : v;
        }
}
void roost_depthwise_blocks_avx2(size_t blocks, const float *x, const ptrdiff_t *offsets, size_t taps,
                                 const float *w, float *out) {
    for (size_t q = 0; q < blocks * 16; q++) {
        float s = 0;
        for (size_t t = 0; t < taps; t++) s += w[t] * x[q + offsets[t]];
        out[q] = s;
    }
}
#endif
