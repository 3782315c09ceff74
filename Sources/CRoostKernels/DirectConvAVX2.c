// AVX2 + FMA direct-convolution tile: 6 pixels × 16 channels in 12 accumulators.
// Per tap, two weight vectors and six broadcast patch values (one per pixel, read
// at its own base plus the tap's offset); at the end an 8×8 transpose turns the
// tile into channel rows of consecutive pixels for the NCHW output (a
// channels-last output stores the pixel rows as they are).
#if defined(__x86_64__)
#include "ActivationAVX2.h"
#include <immintrin.h>

#define AVX2 __attribute__((target("avx2,fma")))
#define TILE ROOST_CONV_PIXELS

/// Rows r0..r7 (pixels) of channels 0..7 → eight vectors, one per channel.
AVX2 static inline void transpose8(__m256 r[8]) {
    __m256 t0 = _mm256_unpacklo_ps(r[0], r[1]), t1 = _mm256_unpackhi_ps(r[0], r[1]);
    __m256 t2 = _mm256_unpacklo_ps(r[2], r[3]), t3 = _mm256_unpackhi_ps(r[2], r[3]);
    __m256 t4 = _mm256_unpacklo_ps(r[4], r[5]), t5 = _mm256_unpackhi_ps(r[4], r[5]);
    __m256 t6 = _mm256_unpacklo_ps(r[6], r[7]), t7 = _mm256_unpackhi_ps(r[6], r[7]);
    __m256 u0 = _mm256_shuffle_ps(t0, t2, 0x44), u1 = _mm256_shuffle_ps(t0, t2, 0xEE);
    __m256 u2 = _mm256_shuffle_ps(t1, t3, 0x44), u3 = _mm256_shuffle_ps(t1, t3, 0xEE);
    __m256 u4 = _mm256_shuffle_ps(t4, t6, 0x44), u5 = _mm256_shuffle_ps(t4, t6, 0xEE);
    __m256 u6 = _mm256_shuffle_ps(t5, t7, 0x44), u7 = _mm256_shuffle_ps(t5, t7, 0xEE);
    r[0] = _mm256_permute2f128_ps(u0, u4, 0x20);
    r[1] = _mm256_permute2f128_ps(u1, u5, 0x20);
    r[2] = _mm256_permute2f128_ps(u2, u6, 0x20);
    r[3] = _mm256_permute2f128_ps(u3, u7, 0x20);
    r[4] = _mm256_permute2f128_ps(u0, u4, 0x31);
    r[5] = _mm256_permute2f128_ps(u1, u5, 0x31);
    r[6] = _mm256_permute2f128_ps(u2, u6, 0x31);
    r[7] = _mm256_permute2f128_ps(u3, u7, 0x31);
}

/// Six consecutive floats as the low lanes of a vector (no read past them).
AVX2 static inline __m256 load6(const float *p) {
    __m128 lo = _mm_loadu_ps(p);
    __m128 hi = _mm_castpd_ps(_mm_load_sd((const double *)(p + 4)));
    return _mm256_insertf128_ps(_mm256_castps128_ps256(lo), hi, 1);
}

AVX2 static inline void store6(float *p, __m256 v) {
    _mm_storeu_ps(p, _mm256_castps256_ps128(v));
    _mm_store_sd((double *)(p + 4), _mm_castps_pd(_mm256_extractf128_ps(v, 1)));
}

/// One channel's six pixels: the epilogue up to its roost_act, in registers.
AVX2 static inline __m256 finish_channel_linear(const roost_epilogue *ep, __m256 v, size_t ch, size_t p0) {
    if (ep->alpha != 1.0f) v = _mm256_mul_ps(v, _mm256_set1_ps(ep->alpha));
    if (ep->bias_m) v = _mm256_add_ps(v, _mm256_broadcast_ss(ep->bias_m + ch));
    if (ep->residual) v = _mm256_add_ps(v, load6(ep->residual + ch * ep->ldr + p0));
    // Operand order keeps NaN: max/min return their second operand when either is NaN.
    v = _mm256_min_ps(_mm256_set1_ps(ep->hi), _mm256_max_ps(_mm256_set1_ps(ep->lo), v));
    if (ep->leaky) {
        __m256 neg = _mm256_cmp_ps(v, _mm256_setzero_ps(), _CMP_LT_OQ);
        v = _mm256_blendv_ps(v, _mm256_mul_ps(v, _mm256_set1_ps(ep->leaky_alpha)), neg);
    }
    return v;
}

/// A whole tile's channels (six pixels each) to their rows: the linear epilogue,
/// then a roost_act over every channel's vector at once (one loop per kind, so the
/// polynomials overlap: channel by channel a SiLU stem spent 1.3 ns a value waiting
/// on them, batched 0.77 — still more than the 0.5 of a separate pass, which is why
/// the runtime fuses only GELU here), then the stores. Lanes 6
/// and 7 hold padding: their activation is computed and not stored.
AVX2 static inline void finish_channels(const roost_epilogue *ep, const __m256 lo[8], const __m256 hi[8], float *y, size_t ldy,
                                        size_t chans, size_t ch0, size_t p0) {
    __m256 v[NR];
    for (size_t j = 0; j < chans; j++) v[j] = finish_channel_linear(ep, j < 8 ? lo[j] : hi[j - 8], ch0 + j, p0);
    switch (ep->act) {
    case ROOST_ACT_NONE: break;
    case ROOST_ACT_SILU: for (size_t j = 0; j < chans; j++) v[j] = roost_silu8(v[j]); break;
    case ROOST_ACT_GELU: for (size_t j = 0; j < chans; j++) v[j] = roost_gelu8(v[j]); break;
    default: for (size_t j = 0; j < chans; j++) v[j] = roost_act8(ep->act, v[j]);
    }
    for (size_t j = 0; j < chans; j++) store6(y + j * ldy, v[j]);
}

#define PIXEL_FMA(r)                                              \
    do {                                                          \
        __m256 av = _mm256_broadcast_ss(x##r + off);              \
        c##r##0 = _mm256_fmadd_ps(av, w0, c##r##0);               \
        c##r##1 = _mm256_fmadd_ps(av, w1, c##r##1);               \
    } while (0)

#define TAP(i)                                                    \
    do {                                                          \
        int32_t off = koff[i];                                    \
        __m256 w0 = _mm256_loadu_ps(w + (i) * NR);                \
        __m256 w1 = _mm256_loadu_ps(w + (i) * NR + 8);            \
        PIXEL_FMA(0); PIXEL_FMA(1); PIXEL_FMA(2);                 \
        PIXEL_FMA(3); PIXEL_FMA(4); PIXEL_FMA(5);                 \
    } while (0)

/// Eight channels of one pixel (channels-last output): the epilogue with the
/// per-channel bias as bias_n, the residual at the pixel's row.
AVX2 static inline __m256 finish_pixel(const roost_epilogue *ep, __m256 v, size_t p, size_t ch) {
    if (ep->alpha != 1.0f) v = _mm256_mul_ps(v, _mm256_set1_ps(ep->alpha));
    if (ep->bias_n) v = _mm256_add_ps(v, _mm256_loadu_ps(ep->bias_n + ch));
    if (ep->residual) v = _mm256_add_ps(v, _mm256_loadu_ps(ep->residual + p * ep->ldr + ch));
    v = _mm256_min_ps(_mm256_set1_ps(ep->hi), _mm256_max_ps(_mm256_set1_ps(ep->lo), v));
    if (ep->leaky) {
        __m256 neg = _mm256_cmp_ps(v, _mm256_setzero_ps(), _CMP_LT_OQ);
        v = _mm256_blendv_ps(v, _mm256_mul_ps(v, _mm256_set1_ps(ep->leaky_alpha)), neg);
    }
    if (ep->act) v = roost_act8(ep->act, v);
    return v;
}

/// A whole tile (6 pixels × 16 channels) with a scale, channel bias, clamp and
/// optional residual: what the pixels share read once before the first store,
/// the rows straight-line code (`res` a constant where inlined). Read per pixel
/// behind a branch per epilogue field, they cost as much as a third of the
/// taps of a 27-tap stem conv.
AVX2 static inline __attribute__((always_inline)) void store_nhwc_full(const __m256 lo[6], const __m256 hi[6], float *y, size_t ldy,
                                                                        const roost_epilogue *ep, size_t ch0, size_t p0, const int res) {
    const __m256 s = _mm256_set1_ps(ep->alpha), l = _mm256_set1_ps(ep->lo), h = _mm256_set1_ps(ep->hi);
    const __m256 b0 = ep->bias_n ? _mm256_loadu_ps(ep->bias_n + ch0) : _mm256_setzero_ps();
    const __m256 b1 = ep->bias_n ? _mm256_loadu_ps(ep->bias_n + ch0 + 8) : _mm256_setzero_ps();
    const float *rp = res ? ep->residual + p0 * ep->ldr + ch0 : NULL;
    const size_t ldr = ep->ldr;
    for (int r = 0; r < TILE; r++, y += ldy) {
        __m256 v0 = _mm256_fmadd_ps(lo[r], s, b0), v1 = _mm256_fmadd_ps(hi[r], s, b1);
        if (res) {
            v0 = _mm256_add_ps(v0, _mm256_loadu_ps(rp + r * ldr));
            v1 = _mm256_add_ps(v1, _mm256_loadu_ps(rp + r * ldr + 8));
        }
        _mm256_storeu_ps(y, _mm256_min_ps(h, _mm256_max_ps(l, v0)));
        _mm256_storeu_ps(y + 8, _mm256_min_ps(h, _mm256_max_ps(l, v1)));
    }
}

/// The tile written channels-last: each pixel's 16 channels are two vectors.
AVX2 static void store_nhwc(const __m256 lo[6], const __m256 hi[6], float *y, size_t ldy, size_t rows, size_t chans,
                            const roost_epilogue *ep, size_t ch0, size_t p0) {
    if (rows == TILE && chans == NR && !ep->bias_m && !ep->leaky && !ep->act) {
        if (ep->residual) store_nhwc_full(lo, hi, y, ldy, ep, ch0, p0, 1);
        else store_nhwc_full(lo, hi, y, ldy, ep, ch0, p0, 0);
        return;
    }
    for (size_t r = 0; r < rows; r++, y += ldy) {
        if (chans == NR) {
            _mm256_storeu_ps(y, finish_pixel(ep, lo[r], p0 + r, ch0));
            _mm256_storeu_ps(y + 8, finish_pixel(ep, hi[r], p0 + r, ch0 + 8));
            continue;
        }
        // A part-filled channel panel: one value at a time, reading nothing past the channels.
        float t[NR];
        _mm256_storeu_ps(t, lo[r]);
        _mm256_storeu_ps(t + 8, hi[r]);
        for (size_t j = 0; j < chans; j++) y[j] = roost_finish(ep, t[j], p0 + r, ch0 + j);
    }
}

AVX2 void roost_conv_tile_avx2(size_t k, const int32_t *koff, const float *const *base, const float *w,
                               float *y, size_t ldy, size_t rows, size_t chans, const roost_epilogue *ep,
                               size_t ch0, size_t p0, int nhwc) {
    const float *x0 = base[0], *x1 = base[1], *x2 = base[2], *x3 = base[3], *x4 = base[4], *x5 = base[5];
    __m256 c00 = _mm256_setzero_ps(), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00;
    __m256 c30 = c00, c31 = c00, c40 = c00, c41 = c00, c50 = c00, c51 = c00;
    size_t i = 0;
    for (; i + 4 <= k; i += 4, w += 4 * NR, koff += 4) {
        _mm_prefetch((const char *)(w + 16 * NR), _MM_HINT_T0);
        _mm_prefetch((const char *)(w + 18 * NR), _MM_HINT_T0);
        TAP(0); TAP(1); TAP(2); TAP(3);
    }
    for (; i < k; i++, w += NR, koff++) TAP(0);

    if (nhwc) {
        const __m256 lo[6] = {c00, c10, c20, c30, c40, c50}, hi[6] = {c01, c11, c21, c31, c41, c51};
        store_nhwc(lo, hi, y, ldy, rows, chans, ep, ch0, p0);
        return;
    }
    __m256 lo[8] = {c00, c10, c20, c30, c40, c50, _mm256_setzero_ps(), _mm256_setzero_ps()};
    __m256 hi[8] = {c01, c11, c21, c31, c41, c51, _mm256_setzero_ps(), _mm256_setzero_ps()};
    transpose8(lo);
    transpose8(hi);
    if (rows == TILE) {
        finish_channels(ep, lo, hi, y, ldy, chans, ch0, p0);
        return;
    }
    // The last tile of the image: fewer pixels, finished one value at a time.
    float tmp[8];
    for (size_t j = 0; j < chans; j++) {
        _mm256_storeu_ps(tmp, j < 8 ? lo[j] : hi[j - 8]);
        for (size_t r = 0; r < rows; r++) y[j * ldy + r] = roost_finish(ep, tmp[r], ch0 + j, p0 + r);
    }
}
#endif
