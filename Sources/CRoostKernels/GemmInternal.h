// Shared between the GEMM driver and its per-ISA micro-kernels.
#ifndef ROOST_GEMM_INTERNAL_H
#define ROOST_GEMM_INTERNAL_H
#include "roost_kernels.h"

#define MR ROOST_GEMM_MR
#define NR ROOST_GEMM_NR
/// K block: an A micro-panel (KC·MR) and a B micro-panel (KC·NR) together stay in L1.
#define KC 256
/// Column block: the packed B block (KC·NC) stays in L2 while the A panels pass over it.
#define NC 256
/// Row block when A is packed at run time (MC·KC in L2).
#define MC 120

/// acc[MR×NR] = A panel · B panel over kc; then (accumulate) += C; then, on the
/// last K block (ep != NULL), the epilogue at (row0, col0); stores mr×nr of it.
typedef void (*roost_ukernel)(size_t kc, const float *a, const float *b, float *c, size_t ldc,
                              size_t mr, size_t nr, int accumulate, const roost_epilogue *ep, size_t row0, size_t col0);

void roost_ukernel_portable(size_t kc, const float *a, const float *b, float *c, size_t ldc,
                            size_t mr, size_t nr, int accumulate, const roost_epilogue *ep, size_t row0, size_t col0);
void roost_ukernel_avx2(size_t kc, const float *a, const float *b, float *c, size_t ldc,
                        size_t mr, size_t nr, int accumulate, const roost_epilogue *ep, size_t row0, size_t col0);
/// Short-panel forms of the AVX2 kernel: at most 4 and at most 2 rows.
void roost_ukernel4_avx2(size_t kc, const float *a, const float *b, float *c, size_t ldc,
                         size_t mr, size_t nr, int accumulate, const roost_epilogue *ep, size_t row0, size_t col0);
void roost_ukernel2_avx2(size_t kc, const float *a, const float *b, float *c, size_t ldc,
                         size_t mr, size_t nr, int accumulate, const roost_epilogue *ep, size_t row0, size_t col0);
/// The AVX2 tile reading A from plain row-major rows (row r at a + r·lda), any mr ≤ MR.
void roost_ukernel_avx2_rows(size_t kc, const float *a, size_t lda, const float *b, float *c, size_t ldc,
                             size_t mr, size_t nr, int accumulate, const roost_epilogue *ep, size_t row0, size_t col0);

/// NEON (AArch64): the 6×16 tile over packed A and B panels.
void roost_ukernel_neon(size_t kc, const float *a, const float *b, float *c, size_t ldc,
                        size_t mr, size_t nr, int accumulate, const roost_epilogue *ep, size_t row0, size_t col0);

/// AVX-512: a tile of mr ≤ MR rows × NR < nr ≤ 2·NR columns over two adjacent B
/// panels (b0: columns 0–15, b1: the rest), and the one-panel form for nr ≤ NR.
void roost_ukernel2_avx512(size_t kc, const float *a, const float *b0, const float *b1, float *c, size_t ldc,
                           size_t mr, size_t nr, int accumulate, const roost_epilogue *ep, size_t row0, size_t col0);
void roost_ukernel1_avx512(size_t kc, const float *a, const float *b, float *c, size_t ldc,
                           size_t mr, size_t nr, int accumulate, const roost_epilogue *ep, size_t row0, size_t col0);
/// The same two forms reading A from plain row-major rows (row r at a + r·lda).
void roost_ukernel2_avx512_rows(size_t kc, const float *a, size_t lda, const float *b0, const float *b1, float *c,
                                size_t ldc, size_t mr, size_t nr, int accumulate, const roost_epilogue *ep,
                                size_t row0, size_t col0);
void roost_ukernel1_avx512_rows(size_t kc, const float *a, size_t lda, const float *b, float *c, size_t ldc,
                                size_t mr, size_t nr, int accumulate, const roost_epilogue *ep, size_t row0, size_t col0);

/// y[n0..n1) = x[0..k) · B (pre-packed panels), then the epilogue; n0 is panel aligned.
typedef void (*roost_gemv)(size_t k, const float *x, const float *b_packed, float *y,
                           size_t n0, size_t n1, size_t n, const roost_epilogue *ep);
void roost_gemv_portable(size_t k, const float *x, const float *b_packed, float *y,
                         size_t n0, size_t n1, size_t n, const roost_epilogue *ep);
void roost_gemv_avx2(size_t k, const float *x, const float *b_packed, float *y,
                     size_t n0, size_t n1, size_t n, const roost_epilogue *ep);
void roost_gemv_neon(size_t k, const float *x, const float *b_packed, float *y,
                     size_t n0, size_t n1, size_t n, const roost_epilogue *ep);

/// One direct-convolution tile: acc[6 pixels × 16 channels] = Σ_k x[base[r] + koff[k]] · w[k·16 + j],
/// then the epilogue; stores rows pixels × chans channels at y[j·ldy + r] (y at the tile's
/// first channel and pixel; ep's rows are channels ch0 + j, its columns pixels p0 + r) — or,
/// when nhwc, at y[r·ldy + j] with ep's rows the pixels and its columns the channels.
typedef void (*roost_conv_tile)(size_t k, const int32_t *koff, const float *const *base, const float *w,
                                float *y, size_t ldy, size_t rows, size_t chans, const roost_epilogue *ep,
                                size_t ch0, size_t p0, int nhwc);
void roost_conv_tile_portable(size_t k, const int32_t *koff, const float *const *base, const float *w,
                              float *y, size_t ldy, size_t rows, size_t chans, const roost_epilogue *ep,
                              size_t ch0, size_t p0, int nhwc);
void roost_conv_tile_avx2(size_t k, const int32_t *koff, const float *const *base, const float *w,
                          float *y, size_t ldy, size_t rows, size_t chans, const roost_epilogue *ep,
                          size_t ch0, size_t p0, int nhwc);

/// erf(x) as an odd/even rational on [-4, 4] (±1 beyond), absolute error < 5e-7:
/// the coefficients of the runtime's FastMath.erf, so a fused GELU computes what
/// the separate pass would.
#define ROOST_ERF_P {-2.7261423e-10f, 2.7706814e-08f, -2.101024e-06f, -5.6925064e-05f, -7.3499063e-04f, -2.9546000e-03f, -1.6096033e-02f}
#define ROOST_ERF_Q {-1.4566072e-05f, -2.1337406e-04f, -1.682827e-03f, -7.3733292e-03f, -1.4264739e-02f}

static inline float roost_gelu(float x) {
    static const float p[] = ROOST_ERF_P, q[] = ROOST_ERF_Q;
    float v = x * 0.70710677f;
    v = v < -4.0f ? -4.0f : v > 4.0f ? 4.0f : v;
    float v2 = v * v, a = p[0], b = q[0];
    for (int i = 1; i < 7; i++) a = a * v2 + p[i];
    for (int i = 1; i < 5; i++) b = b * v2 + q[i];
    return 0.5f * x * (1.0f + v * a / b);
}

/// e^x as FastMath.exp computes it: clamped to [−87, 88], the 1.5·2²³ rounding
/// trick, a degree-7 polynomial of the remainder.
static inline float roost_exp1(float x) {
    x = x < -87.0f ? -87.0f : x > 88.0f ? 88.0f : x;
    const float magic = 12582912.0f;
    float t = x * 1.44269504f + magic, n = t - magic;
    int32_t bits;
    __builtin_memcpy(&bits, &t, 4);
    bits -= 0x4B400000;
    float r = (x - n * 0.69314575f) - n * 1.4286068e-6f;
    static const float c[] = {1.0f / 720, 1.0f / 120, 1.0f / 24, 1.0f / 6, 0.5f, 1.0f, 1.0f};
    float p = 1.0f / 5040;
    for (int i = 0; i < 7; i++) p = p * r + c[i];
    uint32_t s = (uint32_t)(bits + 127) << 23;
    float scale;
    __builtin_memcpy(&scale, &s, 4);
    return p * scale;
}

/// One value's roost_act (the portable kernels' and the vector kernels' tails).
static inline float roost_act1(int act, float v) {
    switch (act) {
    case ROOST_ACT_GELU: return roost_gelu(v);
    case ROOST_ACT_SILU: return v / (1.0f + roost_exp1(-v));
    case ROOST_ACT_SIGMOID: return 1.0f / (1.0f + roost_exp1(-v));
    default: return v;
    }
}

/// The epilogue of one value (used by the portable kernels and for tails).
static inline float roost_finish(const roost_epilogue *ep, float v, size_t row, size_t col) {
    v *= ep->alpha;
    if (ep->bias_m) v += ep->bias_m[row];
    if (ep->bias_n) v += ep->bias_n[col];
    if (ep->residual) v += ep->residual[row * ep->ldr + col];
    v = v < ep->lo ? ep->lo : v;
    v = v > ep->hi ? ep->hi : v;
    if (ep->leaky && v < 0) v *= ep->leaky_alpha;
    if (ep->act) v = roost_act1(ep->act, v);
    return v;
}
#endif
