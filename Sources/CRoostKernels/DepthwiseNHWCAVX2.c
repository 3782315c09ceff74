// AVX2 + FMA rows of the channels-last depthwise convolution. A 3×3 window's
// interior pixels run six at a time (independent FMA chains, each input vector
// loaded once for all the outputs it feeds), 8 channels a step with the nine
// weight vectors in registers; border pixels run the taps inside the image, 8
// channels a step in a register; other windows and a channel tail take the shared
// per-pixel form, compiled here for AVX2.
#if defined(__x86_64__)
#include "DepthwiseNHWCRow.h"
#include <immintrin.h>

#define AVX2 __attribute__((target("avx2,fma")))

AVX2 static inline __m256 finish8(__m256 v, const float *residual, __m256 lo, __m256 hi) {
    if (residual) v = _mm256_add_ps(v, _mm256_loadu_ps(residual));
    // Operand order keeps NaN: max/min return their second operand when either is NaN.
    return _mm256_min_ps(hi, _mm256_max_ps(lo, v));
}

/// Six interior pixels of a 3×3, column-stride-SW window, 8 channels: each input
/// vector of the block's window rows is loaded once and feeds every output whose
/// window covers it (stride 1: 24 loads for 54 FMAs). `x` is the first pixel's
/// window start, rs the row stride, C the pixel stride.
AVX2 static inline __attribute__((always_inline)) void block6(const float *x, size_t rs, size_t C, const __m256 w[9],
                                                              __m256 acc[6], const size_t SW) {
#pragma GCC unroll 16
    for (size_t col = 0; col < 5 * SW + 3; col++) {
#pragma GCC unroll 3
        for (size_t r = 0; r < 3; r++) {
            const __m256 v = _mm256_loadu_ps(x + r * rs + col * C);
#pragma GCC unroll 3
            for (size_t kx = 0; kx < 3; kx++) {
                if (col < kx || (col - kx) % SW != 0 || (col - kx) / SW >= 6) continue;
                acc[(col - kx) / SW] = _mm256_fmadd_ps(w[r * 3 + kx], v, acc[(col - kx) / SW]);
            }
        }
    }
}

/// Interior pixels [ox0, ox1) of row (n, oy) of a 3×3 window whose three rows all
/// lie inside the image, channels [0, c8) in blocks of 8: blocks of six pixels
/// (pixels outer, channels inner, so loads walk each pixel's channels front to
/// back), the rest one pixel at a time.
AVX2 static void interior3x3(const roost_depthwise_nhwc *d, size_t n, size_t oy, size_t ox0, size_t ox1, size_t c8) {
    const size_t C = d->channels, rs = d->dh * d->w * C;
    const __m256 lo = _mm256_set1_ps(d->lo), hi = _mm256_set1_ps(d->hi);
    const float *row0 = d->x + ((n * d->h + oy * d->sh - d->pt) * d->w) * C;
    float *out = d->y + ((n * d->oh + oy) * d->ow) * C;
    const float *res = d->residual ? d->residual + ((n * d->oh + oy) * d->ow) * C : NULL;
    size_t ox = ox0;
    if (d->dw == 1 && (d->sw == 1 || d->sw == 2)) {
        for (; ox + 6 <= ox1; ox += 6) {
            const float *x = row0 + (ox * d->sw - d->pl) * C;
            for (size_t c = 0; c < c8; c += 8) {
                __m256 w[9];
                for (int t = 0; t < 9; t++) w[t] = _mm256_loadu_ps(d->weights + t * C + c);
                const __m256 b = d->bias ? _mm256_loadu_ps(d->bias + c) : _mm256_setzero_ps();
                __m256 acc[6] = {b, b, b, b, b, b};
                if (d->sw == 1) block6(x + c, rs, C, w, acc, 1);
                else block6(x + c, rs, C, w, acc, 2);
                for (int j = 0; j < 6; j++) {
                    const size_t at = (ox + j) * C + c;
                    _mm256_storeu_ps(out + at, finish8(acc[j], res ? res + at : NULL, lo, hi));
                }
            }
        }
    }
    const size_t dx = d->dw * C;
    for (; ox < ox1; ox++) {
        const float *x = row0 + (ox * d->sw - d->pl) * C;
        for (size_t c = 0; c < c8; c += 8) {
            __m256 a = d->bias ? _mm256_loadu_ps(d->bias + c) : _mm256_setzero_ps(), e = _mm256_setzero_ps();
            for (size_t r = 0; r < 3; r++) {
                const float *xr = x + r * rs + c, *wr = d->weights + r * 3 * C + c;
                a = _mm256_fmadd_ps(_mm256_loadu_ps(wr), _mm256_loadu_ps(xr), a);
                e = _mm256_fmadd_ps(_mm256_loadu_ps(wr + C), _mm256_loadu_ps(xr + dx), e);
                a = _mm256_fmadd_ps(_mm256_loadu_ps(wr + 2 * C), _mm256_loadu_ps(xr + 2 * dx), a);
            }
            const size_t at = ox * C + c;
            _mm256_storeu_ps(out + at, finish8(_mm256_add_ps(a, e), res ? res + at : NULL, lo, hi));
        }
    }
}

/// Pixels [ox0, ox1) of row (n, oy) of a 3×3 window, any of whose taps may fall
/// outside the image (the border), channels [0, c8) in blocks of 8: the taps
/// inside, accumulated in a register. The shared per-pixel form keeps its
/// accumulators in memory, fine for a channel tail but 2.5× the time of the
/// interior on the borders — half the pixels of a 7 × 7 map.
AVX2 static void border3x3(const roost_depthwise_nhwc *d, size_t n, size_t oy, size_t ox0, size_t ox1, size_t c8) {
    const size_t C = d->channels;
    const __m256 lo = _mm256_set1_ps(d->lo), hi = _mm256_set1_ps(d->hi);
    long iy[3];
    int rows = 0;
    size_t ky_of[3];
    for (size_t ky = 0; ky < 3; ky++) {
        const long y = (long)(oy * d->sh + ky * d->dh) - (long)d->pt;
        if (y >= 0 && y < (long)d->h) { iy[rows] = y; ky_of[rows++] = ky; }
    }
    for (size_t ox = ox0; ox < ox1; ox++) {
        const float *taps_x[9], *taps_w[9];
        int taps = 0;
        for (int r = 0; r < rows; r++)
            for (size_t kx = 0; kx < 3; kx++) {
                const long ix = (long)(ox * d->sw + kx * d->dw) - (long)d->pl;
                if (ix < 0 || ix >= (long)d->w) continue;
                taps_x[taps] = d->x + ((n * d->h + (size_t)iy[r]) * d->w + (size_t)ix) * C;
                taps_w[taps++] = d->weights + (ky_of[r] * 3 + kx) * C;
            }
        const size_t at = ((n * d->oh + oy) * d->ow + ox) * C;
        const float *res = d->residual ? d->residual + at : NULL;
        for (size_t c = 0; c < c8; c += 8) {
            __m256 a = d->bias ? _mm256_loadu_ps(d->bias + c) : _mm256_setzero_ps(), e = _mm256_setzero_ps();
            int t = 0;
            for (; t + 2 <= taps; t += 2) {
                a = _mm256_fmadd_ps(_mm256_loadu_ps(taps_w[t] + c), _mm256_loadu_ps(taps_x[t] + c), a);
                e = _mm256_fmadd_ps(_mm256_loadu_ps(taps_w[t + 1] + c), _mm256_loadu_ps(taps_x[t + 1] + c), e);
            }
            if (t < taps) a = _mm256_fmadd_ps(_mm256_loadu_ps(taps_w[t] + c), _mm256_loadu_ps(taps_x[t] + c), a);
            _mm256_storeu_ps(d->y + at + c, finish8(_mm256_add_ps(a, e), res ? res + c : NULL, lo, hi));
        }
    }
}

AVX2 void roost_depthwise_nhwc_rows_avx2(const roost_depthwise_nhwc *d, size_t row0, size_t row1) {
    size_t lo, hi;
    roost_dw_nhwc_interior(d, &lo, &hi);
    const size_t c8 = d->kh == 3 && d->kw == 3 ? d->channels / 8 * 8 : 0;
    for (size_t row = row0; row < row1; row++) {
        const size_t n = row / d->oh, oy = row % d->oh;
        // Every window row inside the image: iy = oy·sh − pt + ky·dh in [0, h) for ky = 0, 2.
        const long top = (long)(oy * d->sh) - (long)d->pt, bottom = top + (long)(2 * d->dh);
        if (c8 == 0) {
            roost_dw_nhwc_pixels(d, n, oy, 0, d->ow, 0, d->channels);
            continue;
        }
        if (top < 0 || bottom >= (long)d->h || lo >= hi) {
            border3x3(d, n, oy, 0, d->ow, c8);
        } else {
            border3x3(d, n, oy, 0, lo, c8);
            interior3x3(d, n, oy, lo, hi, c8);
            border3x3(d, n, oy, hi, d->ow, c8);
        }
        if (c8 < d->channels) roost_dw_nhwc_pixels(d, n, oy, 0, d->ow, c8, d->channels);
    }
}
#endif
