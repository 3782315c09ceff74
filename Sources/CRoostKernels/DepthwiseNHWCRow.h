// One output row of the channels-last depthwise convolution, any window: the
// per-pixel form every ISA shares (the AVX2 file inlines it under its own target,
// where the channel loops vectorize 8 wide), used for border pixels, windows
// other than 3×3 and channel tails.
#ifndef ROOST_DEPTHWISE_NHWC_ROW_H
#define ROOST_DEPTHWISE_NHWC_ROW_H
#include "roost_kernels.h"

/// Channels a chunk of the per-pixel form accumulates in a local array (which
/// aliases nothing, so the channel loops vectorize).
#define ROOST_DW_CHUNK 64

/// Output pixels [ox0, ox1) of row (n, oy), channels [c0, c1): the bias plus every
/// tap that lands inside the image, then residual and clamp.
static inline __attribute__((always_inline)) void roost_dw_nhwc_pixels(const roost_depthwise_nhwc *d, size_t n, size_t oy,
                                                                        size_t ox0, size_t ox1, size_t c0, size_t c1) {
    const size_t C = d->channels;
    for (size_t ox = ox0; ox < ox1; ox++) {
        const size_t at = ((n * d->oh + oy) * d->ow + ox) * C;
        for (size_t cc = c0; cc < c1; cc += ROOST_DW_CHUNK) {
            const size_t m = c1 - cc < ROOST_DW_CHUNK ? c1 - cc : ROOST_DW_CHUNK;
            float acc[ROOST_DW_CHUNK];
            for (size_t i = 0; i < m; i++) acc[i] = d->bias ? d->bias[cc + i] : 0.0f;
            for (size_t ky = 0; ky < d->kh; ky++) {
                const long iy = (long)(oy * d->sh + ky * d->dh) - (long)d->pt;
                if (iy < 0 || iy >= (long)d->h) continue;
                for (size_t kx = 0; kx < d->kw; kx++) {
                    const long ix = (long)(ox * d->sw + kx * d->dw) - (long)d->pl;
                    if (ix < 0 || ix >= (long)d->w) continue;
                    const float *x = d->x + ((n * d->h + (size_t)iy) * d->w + (size_t)ix) * C + cc;
                    const float *w = d->weights + (ky * d->kw + kx) * C + cc;
                    for (size_t i = 0; i < m; i++) acc[i] += w[i] * x[i];
                }
            }
            const float *r = d->residual ? d->residual + at + cc : NULL;
            float *y = d->y + at + cc;
            // Two loops, not `r ? r[i] : 0`: that one vectorizes as masked loads, slow on AMD.
            if (r)
                for (size_t i = 0; i < m; i++) acc[i] += r[i];
            for (size_t i = 0; i < m; i++) {
                float v = acc[i] < d->lo ? d->lo : acc[i];
                y[i] = v > d->hi ? d->hi : v;
            }
        }
    }
}

/// The output columns whose whole window row lies inside the image: [*lo, *hi).
static inline void roost_dw_nhwc_interior(const roost_depthwise_nhwc *d, size_t *lo, size_t *hi) {
    // ix = ox·sw − pl + kx·dw must stay in [0, w) for kx = 0 and kx = kw − 1.
    size_t first = (d->pl + d->sw - 1) / d->sw;
    long span = (long)d->w - 1 - (long)((d->kw - 1) * d->dw) + (long)d->pl;
    size_t end = span < 0 ? 0 : (size_t)span / d->sw + 1;
    if (end > d->ow) end = d->ow;
    if (first > end) first = end;
    *lo = first;
    *hi = end;
}
#endif
