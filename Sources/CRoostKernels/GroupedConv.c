// The inner loop of the direct grouped convolution (a few input channels per
// group, as in ResNeXt's 32 × 4 blocks): the depthwise kernel's layout — each input
// channel in its own padded, stride-phased plane, every tap one contiguous run
// from the output position — with the sum running over the group's input planes
// too, and up to four output channels sharing each input load. The patch GEMM
// multiplies 4 × 36 by 36 × pixels per group there: a 4-row panel, and packing
// that costs as much as the product (8 GFLOP/s on Zen 3).
#include "roost_kernels.h"

void roost_grouped_blocks_portable(size_t blocks, const float *x, size_t plane_stride, size_t cin,
                                   const ptrdiff_t *offsets, size_t taps, const float *w, size_t nout,
                                   float *out, size_t out_stride) {
    for (size_t o = 0; o < nout; o++) {
        const float *wo = w + o * cin * taps;
        for (size_t q = 0; q < blocks * 16; q++) {
            float s = 0;
            for (size_t i = 0; i < cin; i++)
                for (size_t t = 0; t < taps; t++) s += wo[i * taps + t] * x[i * plane_stride + q + offsets[t]];
            out[o * out_stride + q] = s;
        }
    }
}

#if defined(__x86_64__)
#include <immintrin.h>

/// Four output channels × 16 positions in eight accumulators; per (input channel,
/// tap) two loads of the input feed eight FMAs. Outputs past nout reuse output 0's
/// weights and are not stored.
__attribute__((target("avx2,fma"))) void roost_grouped_blocks_avx2(size_t blocks, const float *x, size_t plane_stride, size_t cin,
                                                                  const ptrdiff_t *offsets, size_t taps, const float *w,
                                                                  size_t nout, float *out, size_t out_stride) {
    const size_t per = cin * taps;
    const float *w0 = w, *w1 = nout > 1 ? w + per : w, *w2 = nout > 2 ? w + 2 * per : w, *w3 = nout > 3 ? w + 3 * per : w;
    for (size_t q = 0; q < blocks * 16; q += 16) {
        __m256 a0 = _mm256_setzero_ps(), b0 = a0, a1 = a0, b1 = a0, a2 = a0, b2 = a0, a3 = a0, b3 = a0;
        for (size_t i = 0; i < cin; i++) {
            const float *xi = x + i * plane_stride + q;
            const size_t wi = i * taps;
            for (size_t t = 0; t < taps; t++) {
                const float *src = xi + offsets[t];
                const __m256 u = _mm256_loadu_ps(src), v = _mm256_loadu_ps(src + 8);
                __m256 c = _mm256_broadcast_ss(w0 + wi + t);
                a0 = _mm256_fmadd_ps(c, u, a0);
                b0 = _mm256_fmadd_ps(c, v, b0);
                c = _mm256_broadcast_ss(w1 + wi + t);
                a1 = _mm256_fmadd_ps(c, u, a1);
                b1 = _mm256_fmadd_ps(c, v, b1);
                c = _mm256_broadcast_ss(w2 + wi + t);
                a2 = _mm256_fmadd_ps(c, u, a2);
                b2 = _mm256_fmadd_ps(c, v, b2);
                c = _mm256_broadcast_ss(w3 + wi + t);
                a3 = _mm256_fmadd_ps(c, u, a3);
                b3 = _mm256_fmadd_ps(c, v, b3);
            }
        }
        float *o = out + q;
        _mm256_storeu_ps(o, a0);
        _mm256_storeu_ps(o + 8, b0);
        if (nout > 1) { _mm256_storeu_ps(o + out_stride, a1); _mm256_storeu_ps(o + out_stride + 8, b1); }
        if (nout > 2) { _mm256_storeu_ps(o + 2 * out_stride, a2); _mm256_storeu_ps(o + 2 * out_stride + 8, b2); }
        if (nout > 3) { _mm256_storeu_ps(o + 3 * out_stride, a3); _mm256_storeu_ps(o + 3 * out_stride + 8, b3); }
    }
}
#else
// Other ISAs never get an artifact that asks for this kernel; the portable loop keeps the symbol defined.
void roost_grouped_blocks_avx2(size_t blocks, const float *x, size_t plane_stride, size_t cin, const ptrdiff_t *offsets,
                               size_t taps, const float *w, size_t nout, float *out, size_t out_stride) {
    roost_grouped_blocks_portable(blocks, x, plane_stride, cin, offsets, taps, w, nout, out, out_stride);
}
#endif
