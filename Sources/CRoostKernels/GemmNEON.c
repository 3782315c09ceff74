// AArch64 Advanced SIMD (NEON): the same 6×16 register tile over the same
// packed panels as the AVX2 kernel, so an artifact's pre-packed weights need no
// second layout. 24 accumulators (6 rows × four 4-lane vectors), four B vectors
// and the six A values (one 4-lane and one 2-lane load, used by lane) take 30 of
// the 32 vector registers; 24 independent FMA chains cover the FMA latency of
// every Arm core with up to four 128-bit pipes (4 cycles × 4 pipes = 16 needed).
// The epilogue runs on the tile in registers, as on x86; the transcendental
// activations use the runtime's FastMath formulas on 4 lanes.
//
// This machine has no Arm CPU: `make test-neon` cross-compiles the kernels and
// runs them under qemu-user against the portable reference, which checks what
// they compute, not how fast.
#if defined(__aarch64__)
#include "GemmInternal.h"
#include <arm_neon.h>

#define INLINE static inline __attribute__((always_inline))

/// e^x as roost_exp1 computes it, on 4 lanes (clamped to [−87, 88]; NaN stays NaN).
INLINE float32x4_t exp4(float32x4_t x) {
    // vmaxq/vminq return NaN when either operand is: the clamp passes NaN on.
    x = vminq_f32(vdupq_n_f32(88.0f), vmaxq_f32(vdupq_n_f32(-87.0f), x));
    const float32x4_t magic = vdupq_n_f32(12582912.0f);
    float32x4_t t = vfmaq_f32(magic, x, vdupq_n_f32(1.44269504f));
    float32x4_t n = vsubq_f32(t, magic);
    int32x4_t bits = vsubq_s32(vreinterpretq_s32_f32(t), vdupq_n_s32(0x4B400000));
    float32x4_t r = vfmsq_f32(vfmsq_f32(x, n, vdupq_n_f32(0.69314575f)), n, vdupq_n_f32(1.4286068e-6f));
    static const float c[] = {1.0f / 720, 1.0f / 120, 1.0f / 24, 1.0f / 6, 0.5f, 1.0f, 1.0f};
    float32x4_t p = vdupq_n_f32(1.0f / 5040);
    for (int i = 0; i < 7; i++) p = vfmaq_f32(vdupq_n_f32(c[i]), p, r);
    float32x4_t scale = vreinterpretq_f32_s32(vshlq_n_s32(vaddq_s32(bits, vdupq_n_s32(127)), 23));
    return vmulq_f32(p, scale);
}

/// 1 / (1 + e^−x). AArch64 has a true vector division: no estimate to refine.
INLINE float32x4_t sigmoid4(float32x4_t x) {
    return vdivq_f32(vdupq_n_f32(1.0f), vaddq_f32(vdupq_n_f32(1.0f), exp4(vnegq_f32(x))));
}

/// GELU with FastMath's rational erf (roost_gelu), its polynomials on FMAs.
INLINE float32x4_t gelu4(float32x4_t x) {
    static const float p[] = ROOST_ERF_P, q[] = ROOST_ERF_Q;
    float32x4_t v = vmulq_f32(x, vdupq_n_f32(0.70710677f));
    v = vminq_f32(vdupq_n_f32(4.0f), vmaxq_f32(vdupq_n_f32(-4.0f), v));
    float32x4_t v2 = vmulq_f32(v, v), a = vdupq_n_f32(p[0]), b = vdupq_n_f32(q[0]);
    for (int i = 1; i < 7; i++) a = vfmaq_f32(vdupq_n_f32(p[i]), a, v2);
    for (int i = 1; i < 5; i++) b = vfmaq_f32(vdupq_n_f32(q[i]), b, v2);
    float32x4_t erf = vdivq_f32(vmulq_f32(v, a), b);
    float32x4_t half = vmulq_f32(vdupq_n_f32(0.5f), x);
    return vfmaq_f32(half, half, erf);
}

/// The epilogue's roost_act on 4 lanes.
INLINE float32x4_t act4(int act, float32x4_t x) {
    switch (act) {
    case ROOST_ACT_GELU: return gelu4(x);
    case ROOST_ACT_SILU: return vmulq_f32(x, sigmoid4(x));
    case ROOST_ACT_SIGMOID: return sigmoid4(x);
    default: return x;
    }
}

/// What every row of a full-width tile shares in its epilogue, read once.
typedef struct {
    float32x4_t s, bias[4], lo, hi, la;
    int scale, leaky, act;
    const float *bias_m, *residual;
    size_t ldr;
} tile_tail;

INLINE tile_tail prepare_tail(const roost_epilogue *ep, size_t col0) {
    tile_tail t;
    t.s = vdupq_n_f32(ep->alpha);
    t.scale = ep->alpha != 1.0f;
    for (int j = 0; j < 4; j++) t.bias[j] = ep->bias_n ? vld1q_f32(ep->bias_n + col0 + 4 * j) : vdupq_n_f32(0);
    t.lo = vdupq_n_f32(ep->lo);
    t.hi = vdupq_n_f32(ep->hi);
    t.la = vdupq_n_f32(ep->leaky_alpha);
    t.leaky = ep->leaky;
    t.act = ep->act;
    t.bias_m = ep->bias_m;
    t.residual = ep->residual ? ep->residual + col0 : NULL;
    t.ldr = ep->ldr;
    return t;
}

/// roost_finish on one 16-column row of the tile, in registers.
INLINE void finish_row(const tile_tail *t, float32x4_t v[4], size_t row) {
    const float32x4_t zero = vdupq_n_f32(0);
    float32x4_t bm = t->bias_m ? vdupq_n_f32(t->bias_m[row]) : zero;
    const float *res = t->residual ? t->residual + row * t->ldr : NULL;
    for (int j = 0; j < 4; j++) {
        float32x4_t x = t->scale ? vfmaq_f32(t->bias[j], v[j], t->s) : vaddq_f32(v[j], t->bias[j]);
        if (t->bias_m) x = vaddq_f32(x, bm);
        if (res) x = vaddq_f32(x, vld1q_f32(res + 4 * j));
        x = vminq_f32(t->hi, vmaxq_f32(t->lo, x));
        if (t->leaky) x = vbslq_f32(vcltq_f32(x, zero), vmulq_f32(x, t->la), x);
        if (t->act) x = act4(t->act, x);
        v[j] = x;
    }
}

/// Stores the tile: whole rows in registers (accumulated onto C for a later K
/// block, finished on the last), a part-width last panel through the scalar epilogue.
INLINE void store_tile(float32x4_t acc[][4], float *c, size_t ldc, size_t mr, size_t nr, int accumulate,
                       const roost_epilogue *ep, size_t row0, size_t col0) {
    if (nr == NR) {
        tile_tail t;
        if (ep) t = prepare_tail(ep, col0);
        for (size_t r = 0; r < mr; r++) {
            float *row = c + r * ldc;
            float32x4_t v[4];
            for (int j = 0; j < 4; j++) v[j] = accumulate ? vaddq_f32(acc[r][j], vld1q_f32(row + 4 * j)) : acc[r][j];
            if (ep) finish_row(&t, v, row0 + r);
            for (int j = 0; j < 4; j++) vst1q_f32(row + 4 * j, v[j]);
        }
        return;
    }
    float spill[NR];
    for (size_t r = 0; r < mr; r++) {
        float *row = c + r * ldc;
        for (int j = 0; j < 4; j++) vst1q_f32(spill + 4 * j, acc[r][j]);
        for (size_t j = 0; j < nr; j++) {
            float v = spill[j] + (accumulate ? row[j] : 0.0f);
            row[j] = ep ? roost_finish(ep, v, row0 + r, col0 + j) : v;
        }
    }
}

void roost_ukernel_neon(size_t kc, const float *a, const float *b, float *c, size_t ldc,
                        size_t mr, size_t nr, int accumulate, const roost_epilogue *ep, size_t row0, size_t col0) {
    // Named accumulators, not an array: an array whose address reaches the
    // store was kept in memory by GCC and stored back every k.
    float32x4_t c00, c01, c02, c03, c10, c11, c12, c13, c20, c21, c22, c23;
    float32x4_t c30, c31, c32, c33, c40, c41, c42, c43, c50, c51, c52, c53;
    c00 = c01 = c02 = c03 = c10 = c11 = c12 = c13 = c20 = c21 = c22 = c23 = vdupq_n_f32(0);
    c30 = c31 = c32 = c33 = c40 = c41 = c42 = c43 = c50 = c51 = c52 = c53 = vdupq_n_f32(0);
    for (size_t k = 0; k < kc; k++, a += MR, b += NR) {
        const float32x4_t b0 = vld1q_f32(b), b1 = vld1q_f32(b + 4), b2 = vld1q_f32(b + 8), b3 = vld1q_f32(b + 12);
        const float32x4_t a03 = vld1q_f32(a);
        const float32x2_t a45 = vld1_f32(a + 4);
#define ROW_BY_LANE(R, FMA, V, L)                \
        c##R##0 = FMA(c##R##0, b0, V, L);        \
        c##R##1 = FMA(c##R##1, b1, V, L);        \
        c##R##2 = FMA(c##R##2, b2, V, L);        \
        c##R##3 = FMA(c##R##3, b3, V, L)
        ROW_BY_LANE(0, vfmaq_laneq_f32, a03, 0);
        ROW_BY_LANE(1, vfmaq_laneq_f32, a03, 1);
        ROW_BY_LANE(2, vfmaq_laneq_f32, a03, 2);
        ROW_BY_LANE(3, vfmaq_laneq_f32, a03, 3);
        ROW_BY_LANE(4, vfmaq_lane_f32, a45, 0);
        ROW_BY_LANE(5, vfmaq_lane_f32, a45, 1);
#undef ROW_BY_LANE
    }
    float32x4_t acc[MR][4] = {{c00, c01, c02, c03}, {c10, c11, c12, c13}, {c20, c21, c22, c23},
                              {c30, c31, c32, c33}, {c40, c41, c42, c43}, {c50, c51, c52, c53}};
    store_tile(acc, c, ldc, mr, nr, accumulate, ep, row0, col0);
}

/// y[p0..p0+16·panels) over `panels` (1 or 2) adjacent panels: 8 accumulator
/// chains either way (two panels, or one panel's even and odd k), enough for
/// the FMA latency with nothing but x to broadcast.
INLINE void gemv_panels(size_t k, const float *x, const float *b, float32x4_t out[8], int panels) {
    float32x4_t acc[8];
    for (int j = 0; j < 8; j++) acc[j] = vdupq_n_f32(0);
    if (panels == 2) {
        const float *b1 = b + k * NR;
        for (size_t i = 0; i < k; i++, b += NR, b1 += NR) {
            float32x4_t xi = vdupq_n_f32(x[i]);
            acc[0] = vfmaq_f32(acc[0], vld1q_f32(b), xi);
            acc[1] = vfmaq_f32(acc[1], vld1q_f32(b + 4), xi);
            acc[2] = vfmaq_f32(acc[2], vld1q_f32(b + 8), xi);
            acc[3] = vfmaq_f32(acc[3], vld1q_f32(b + 12), xi);
            acc[4] = vfmaq_f32(acc[4], vld1q_f32(b1), xi);
            acc[5] = vfmaq_f32(acc[5], vld1q_f32(b1 + 4), xi);
            acc[6] = vfmaq_f32(acc[6], vld1q_f32(b1 + 8), xi);
            acc[7] = vfmaq_f32(acc[7], vld1q_f32(b1 + 12), xi);
        }
    } else {
        size_t i = 0;
        for (; i + 1 < k; i += 2, b += 2 * NR) {
            float32x4_t x0 = vdupq_n_f32(x[i]), x1 = vdupq_n_f32(x[i + 1]);
            for (int j = 0; j < 4; j++) {
                acc[j] = vfmaq_f32(acc[j], vld1q_f32(b + 4 * j), x0);
                acc[4 + j] = vfmaq_f32(acc[4 + j], vld1q_f32(b + NR + 4 * j), x1);
            }
        }
        if (i < k) {
            float32x4_t x0 = vdupq_n_f32(x[i]);
            for (int j = 0; j < 4; j++) acc[j] = vfmaq_f32(acc[j], vld1q_f32(b + 4 * j), x0);
        }
        for (int j = 0; j < 4; j++) {
            acc[j] = vaddq_f32(acc[j], acc[4 + j]);
            acc[4 + j] = vdupq_n_f32(0);
        }
    }
    for (int j = 0; j < 8; j++) out[j] = acc[j];
}

void roost_gemv_neon(size_t k, const float *x, const float *b_packed, float *y,
                     size_t n0, size_t n1, size_t n, const roost_epilogue *ep) {
    (void)n;
    for (size_t p0 = n0; p0 < n1;) {
        const int panels = n1 - p0 > NR ? 2 : 1;
        float32x4_t acc[8];
        gemv_panels(k, x, b_packed + (p0 / NR) * k * NR, acc, panels);
        for (int p = 0; p < panels; p++, p0 += NR) {
            float32x4_t (*tile)[4] = (float32x4_t (*)[4])(acc + 4 * p);
            size_t cols = n1 - p0 < NR ? n1 - p0 : NR;
            store_tile(tile, y + p0, 0, 1, cols, 0, ep, 0, p0);
        }
    }
}
#endif
