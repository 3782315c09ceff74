// AVX-512F rows of the channels-last depthwise convolution: the AVX2 file's
// scheme 16 channels a step, so each load is one whole cache line (the loads of
// six pixels' windows reach across more than L1 holds for wide layers, and 8
// channels a load fetched every line twice) and a channel tail is a lane mask,
// not a scalar loop. The 32 vector registers hold the nine weights, six
// accumulators and the epilogue's constants.
#if defined(__x86_64__)
#include "DepthwiseNHWCRow.h"
#include <immintrin.h>

#define AVX512 __attribute__((target("avx512f,fma")))

AVX512 static inline __m512 finish16(__m512 v, const float *residual, __mmask16 m, __m512 lo, __m512 hi) {
    if (residual) v = _mm512_add_ps(v, _mm512_maskz_loadu_ps(m, residual));
    // Operand order keeps NaN: max/min return their second operand when either is NaN.
    return _mm512_min_ps(hi, _mm512_max_ps(lo, v));
}

/// Six interior pixels of a 3×3, column-stride-SW window, 16 channels (lanes m):
/// each input vector of the block's window rows is loaded once for every output
/// it feeds.
AVX512 static inline __attribute__((always_inline)) void block6(const float *x, size_t rs, size_t C, const __m512 w[9],
                                                                __m512 acc[6], __mmask16 m, const size_t SW) {
#pragma GCC unroll 16
    for (size_t col = 0; col < 5 * SW + 3; col++) {
#pragma GCC unroll 3
        for (size_t r = 0; r < 3; r++) {
            const __m512 v = _mm512_maskz_loadu_ps(m, x + r * rs + col * C);
#pragma GCC unroll 3
            for (size_t kx = 0; kx < 3; kx++) {
                if (col < kx || (col - kx) % SW != 0 || (col - kx) / SW >= 6) continue;
                acc[(col - kx) / SW] = _mm512_fmadd_ps(w[r * 3 + kx], v, acc[(col - kx) / SW]);
            }
        }
    }
}

/// Interior pixels [ox0, ox1) of row (n, oy), every channel, of a 3×3 window
/// whose three rows lie inside the image.
AVX512 static void interior3x3(const roost_depthwise_nhwc *d, size_t n, size_t oy, size_t ox0, size_t ox1) {
    const size_t C = d->channels, rs = d->dh * d->w * C, dx = d->dw * C;
    const __m512 lo = _mm512_set1_ps(d->lo), hi = _mm512_set1_ps(d->hi);
    const float *row0 = d->x + ((n * d->h + oy * d->sh - d->pt) * d->w) * C;
    float *out = d->y + ((n * d->oh + oy) * d->ow) * C;
    const float *res = d->residual ? d->residual + ((n * d->oh + oy) * d->ow) * C : NULL;
    size_t ox = ox0;
    if (d->dw == 1 && (d->sw == 1 || d->sw == 2)) {
        for (; ox + 6 <= ox1; ox += 6) {
            const float *x = row0 + (ox * d->sw - d->pl) * C;
            for (size_t c = 0; c < C; c += 16) {
                const __mmask16 m = C - c >= 16 ? (__mmask16)0xFFFF : (__mmask16)((1u << (C - c)) - 1u);
                __m512 w[9];
                for (int t = 0; t < 9; t++) w[t] = _mm512_maskz_loadu_ps(m, d->weights + t * C + c);
                const __m512 b = d->bias ? _mm512_maskz_loadu_ps(m, d->bias + c) : _mm512_setzero_ps();
                __m512 acc[6] = {b, b, b, b, b, b};
                if (d->sw == 1) block6(x + c, rs, C, w, acc, m, 1);
                else block6(x + c, rs, C, w, acc, m, 2);
                for (int j = 0; j < 6; j++) {
                    const size_t at = (ox + j) * C + c;
                    _mm512_mask_storeu_ps(out + at, m, finish16(acc[j], res ? res + at : NULL, m, lo, hi));
                }
            }
        }
    }
    for (; ox < ox1; ox++) {
        const float *x = row0 + (ox * d->sw - d->pl) * C;
        for (size_t c = 0; c < C; c += 16) {
            const __mmask16 m = C - c >= 16 ? (__mmask16)0xFFFF : (__mmask16)((1u << (C - c)) - 1u);
            __m512 a = d->bias ? _mm512_maskz_loadu_ps(m, d->bias + c) : _mm512_setzero_ps(), e = _mm512_setzero_ps();
            for (size_t r = 0; r < 3; r++) {
                const float *xr = x + r * rs + c, *wr = d->weights + r * 3 * C + c;
                a = _mm512_fmadd_ps(_mm512_maskz_loadu_ps(m, wr), _mm512_maskz_loadu_ps(m, xr), a);
                e = _mm512_fmadd_ps(_mm512_maskz_loadu_ps(m, wr + C), _mm512_maskz_loadu_ps(m, xr + dx), e);
                a = _mm512_fmadd_ps(_mm512_maskz_loadu_ps(m, wr + 2 * C), _mm512_maskz_loadu_ps(m, xr + 2 * dx), a);
            }
            const size_t at = ox * C + c;
            _mm512_mask_storeu_ps(out + at, m, finish16(_mm512_add_ps(a, e), res ? res + at : NULL, m, lo, hi));
        }
    }
}

/// Taps a pixel's list can hold (a 5×5 window); larger windows take the shared per-pixel form.
#define MAX_TAPS 25

/// Output pixels [ox0, ox1) of row (n, oy), any window of at most MAX_TAPS taps:
/// per pixel, the list of taps inside the image, then every channel 16 at a time
/// over that list (two accumulators, so the FMA chain is half as long).
AVX512 static void pixels_listed(const roost_depthwise_nhwc *d, size_t n, size_t oy, size_t ox0, size_t ox1) {
    const size_t C = d->channels;
    const __m512 lo = _mm512_set1_ps(d->lo), hi = _mm512_set1_ps(d->hi);
    for (size_t ox = ox0; ox < ox1; ox++) {
        const float *xs[MAX_TAPS], *ws[MAX_TAPS];
        size_t taps = 0;
        for (size_t ky = 0; ky < d->kh; ky++) {
            const long iy = (long)(oy * d->sh + ky * d->dh) - (long)d->pt;
            if (iy < 0 || iy >= (long)d->h) continue;
            for (size_t kx = 0; kx < d->kw; kx++) {
                const long ix = (long)(ox * d->sw + kx * d->dw) - (long)d->pl;
                if (ix < 0 || ix >= (long)d->w) continue;
                xs[taps] = d->x + ((n * d->h + (size_t)iy) * d->w + (size_t)ix) * C;
                ws[taps++] = d->weights + (ky * d->kw + kx) * C;
            }
        }
        const size_t at = ((n * d->oh + oy) * d->ow + ox) * C;
        for (size_t c = 0; c < C; c += 16) {
            const __mmask16 m = C - c >= 16 ? (__mmask16)0xFFFF : (__mmask16)((1u << (C - c)) - 1u);
            __m512 a = d->bias ? _mm512_maskz_loadu_ps(m, d->bias + c) : _mm512_setzero_ps(), e = _mm512_setzero_ps();
            size_t t = 0;
            for (; t + 2 <= taps; t += 2) {
                a = _mm512_fmadd_ps(_mm512_maskz_loadu_ps(m, ws[t] + c), _mm512_maskz_loadu_ps(m, xs[t] + c), a);
                e = _mm512_fmadd_ps(_mm512_maskz_loadu_ps(m, ws[t + 1] + c), _mm512_maskz_loadu_ps(m, xs[t + 1] + c), e);
            }
            if (t < taps) a = _mm512_fmadd_ps(_mm512_maskz_loadu_ps(m, ws[t] + c), _mm512_maskz_loadu_ps(m, xs[t] + c), a);
            const float *res = d->residual ? d->residual + at + c : NULL;
            _mm512_mask_storeu_ps(d->y + at + c, m, finish16(_mm512_add_ps(a, e), res, m, lo, hi));
        }
    }
}

AVX512 void roost_depthwise_nhwc_rows_avx512(const roost_depthwise_nhwc *d, size_t row0, size_t row1) {
    size_t lo, hi;
    roost_dw_nhwc_interior(d, &lo, &hi);
    const int fast = d->kh == 3 && d->kw == 3, listed = d->kh * d->kw <= MAX_TAPS;
    for (size_t row = row0; row < row1; row++) {
        const size_t n = row / d->oh, oy = row % d->oh;
        if (!listed) {
            roost_dw_nhwc_pixels(d, n, oy, 0, d->ow, 0, d->channels);
            continue;
        }
        const long top = (long)(oy * d->sh) - (long)d->pt, bottom = top + (long)(2 * d->dh);
        if (!fast || top < 0 || bottom >= (long)d->h || lo >= hi) {
            pixels_listed(d, n, oy, 0, d->ow);
            continue;
        }
        pixels_listed(d, n, oy, 0, lo);
        interior3x3(d, n, oy, lo, hi);
        pixels_listed(d, n, oy, hi, d->ow);
    }
}
#endif
