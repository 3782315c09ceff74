// The portable micro-kernel and GEMV: plain C over the same packed panels as the
// vector kernels. Any CPU runs them, and the tests use them as the reference.
#include "GemmInternal.h"

void roost_ukernel_portable(size_t kc, const float *a, const float *b, float *c, size_t ldc,
                            size_t mr, size_t nr, int accumulate, const roost_epilogue *ep, size_t row0, size_t col0) {
    float acc[MR][NR] = {{0}};
    for (size_t k = 0; k < kc; k++) {
        for (int r = 0; r < MR; r++) {
            float av = a[k * MR + r];
            for (int j = 0; j < NR; j++) acc[r][j] += av * b[k * NR + j];
        }
    }
    for (size_t r = 0; r < mr; r++) {
        float *row = c + r * ldc;
        for (size_t j = 0; j < nr; j++) {
            float v = acc[r][j] + (accumulate ? row[j] : 0.0f);
            row[j] = ep ? roost_finish(ep, v, row0 + r, col0 + j) : v;
        }
    }
}

void roost_gemv_portable(size_t k, const float *x, const float *b_packed, float *y,
                         size_t n0, size_t n1, size_t n, const roost_epilogue *ep) {
    (void)n;
    for (size_t p0 = n0; p0 < n1; p0 += NR) {
        const float *b = b_packed + (p0 / NR) * k * NR;
        float acc[NR] = {0};
        for (size_t i = 0; i < k; i++)
            for (int j = 0; j < NR; j++) acc[j] += x[i] * b[i * NR + j];
        size_t cols = n1 - p0 < NR ? n1 - p0 : NR;
        for (size_t j = 0; j < cols; j++) y[p0 + j] = roost_finish(ep, acc[j], 0, p0 + j);
    }
}
