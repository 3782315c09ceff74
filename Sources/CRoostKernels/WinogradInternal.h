// Shared between the Winograd driver and its per-ISA tile-row transforms.
#ifndef ROOST_WINOGRAD_INTERNAL_H
#define ROOST_WINOGRAD_INTERNAL_H
#include "GemmInternal.h"

/// Input transform of one channel's tile row: tile tx (tx < tw) is the 4×4 patch
/// at src + 2·tx (row stride ld) of the padded image; V = Bᵀ d B, and value ξ of
/// it goes to v[ξ·vstride + tx].
typedef void (*roost_wino_input_row)(const float *src, size_t ld, size_t tw, float *v, size_t vstride);

/// Output transform of one channel's tile row: tile tx's 16 products are
/// m[ξ·mstride + tx]; Y = Aᵀ M A, then the epilogue (row `channel`, columns the
/// output pixels from `pixel0`), stored to `rows` (1 or 2) output rows at y and
/// y + ow, columns [0, ow).
typedef void (*roost_wino_output_row)(const float *m, size_t mstride, size_t tw, size_t rows, size_t ow, float *y,
                                      const roost_epilogue *ep, size_t channel, size_t pixel0);

void roost_wino_input_row_portable(const float *src, size_t ld, size_t tw, float *v, size_t vstride);
void roost_wino_output_row_portable(const float *m, size_t mstride, size_t tw, size_t rows, size_t ow, float *y,
                                    const roost_epilogue *ep, size_t channel, size_t pixel0);
void roost_wino_input_row_avx2(const float *src, size_t ld, size_t tw, float *v, size_t vstride);
void roost_wino_output_row_avx2(const float *m, size_t mstride, size_t tw, size_t rows, size_t ow, float *y,
                                const roost_epilogue *ep, size_t channel, size_t pixel0);

/// The portable transforms of one tile, which the vector rows fall back to for
/// their last tiles.
static inline void roost_wino_input_tile(const float *s, size_t ld, float *v, size_t vstride) {
    float t[4][4];
    for (int j = 0; j < 4; j++) {
        float d0 = s[j], d1 = s[ld + j], d2 = s[2 * ld + j], d3 = s[3 * ld + j];
        t[0][j] = d0 - d2;
        t[1][j] = d1 + d2;
        t[2][j] = d2 - d1;
        t[3][j] = d1 - d3;
    }
    for (int i = 0; i < 4; i++) {
        v[(4 * i + 0) * vstride] = t[i][0] - t[i][2];
        v[(4 * i + 1) * vstride] = t[i][1] + t[i][2];
        v[(4 * i + 2) * vstride] = t[i][2] - t[i][1];
        v[(4 * i + 3) * vstride] = t[i][1] - t[i][3];
    }
}

static inline void roost_wino_output_tile(const float *m, size_t mstride, size_t rows, size_t cols, float *y, size_t ow,
                                          const roost_epilogue *ep, size_t channel, size_t pixel) {
    float s[2][4];
    for (int j = 0; j < 4; j++) {
        float m0 = m[(0 + j) * mstride], m1 = m[(4 + j) * mstride], m2 = m[(8 + j) * mstride], m3 = m[(12 + j) * mstride];
        s[0][j] = m0 + m1 + m2;
        s[1][j] = m1 - m2 - m3;
    }
    for (size_t r = 0; r < rows; r++) {
        float o[2] = {s[r][0] + s[r][1] + s[r][2], s[r][1] - s[r][2] - s[r][3]};
        for (size_t c = 0; c < cols; c++) y[r * ow + c] = roost_finish(ep, o[c], channel, pixel + r * ow + c);
    }
}
#endif
