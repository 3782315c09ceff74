// Winograd F(2×2, 3×3): the compile-time weight transform, the driver (padded
// copy of the image, blocks of tile rows, three phases on the session's
// threads) and the portable tile-row transforms the tests compare against.
#include "WinogradInternal.h"
#include <string.h>

/// Floats of transformed input and products one block may hold: small enough to
/// stay in the last-level cache between the phases, large enough that each of
/// the 16 products streams its weight matrix over many tiles.
#define BLOCK_BUDGET (512u * 1024u)

static size_t round16(size_t v) { return (v + 15) / 16 * 16; }

size_t roost_winograd_weights_floats(size_t m, size_t channels) { return 16 * roost_packed_a_floats(m, channels); }

void roost_winograd_pack_weights(size_t m, size_t channels, const float *w, float *out) {
    // Straight into roost_pack_a's layout, matrix ξ at ξ·per: row o, column c at
    // (o / MR)·channels·MR + c·MR + o % MR; rows past m stay zero.
    size_t per = roost_packed_a_floats(m, channels);
    // Only the last panel's rows past m need zeros: every other float is written
    // below (a memset of all 16 matrices first was one more pass over them).
    if (m % MR != 0) {
        float *last = out + (m / MR) * channels * MR;
        for (size_t xi = 0; xi < 16; xi++)
            for (size_t c = 0; c < channels; c++)
                for (size_t r = m % MR; r < MR; r++) last[xi * per + c * MR + r] = 0.0f;
    }
    for (size_t o = 0; o < m; o++) {
        for (size_t c = 0; c < channels; c++) {
            const float *g = w + (o * channels + c) * 9;
            float t[4][3]; // G g
            for (int j = 0; j < 3; j++) {
                float g0 = g[j], g1 = g[3 + j], g2 = g[6 + j];
                t[0][j] = g0;
                t[1][j] = 0.5f * (g0 + g1 + g2);
                t[2][j] = 0.5f * (g0 - g1 + g2);
                t[3][j] = g2;
            }
            float *dst = out + (o / MR) * channels * MR + c * MR + o % MR;
            for (int i = 0; i < 4; i++) { // (G g) Gᵀ
                float r[4] = {t[i][0], 0.5f * (t[i][0] + t[i][1] + t[i][2]), 0.5f * (t[i][0] - t[i][1] + t[i][2]), t[i][2]};
                for (int j = 0; j < 4; j++) dst[(size_t)(4 * i + j) * per] = r[j];
            }
        }
    }
}

/// The block layout: tiles, padded image and tile rows per block.
typedef struct {
    size_t th, tw, ph, pw, rows, padded_floats, v_floats;
} wino_layout;

static wino_layout layout_of(const roost_winograd *wg) {
    wino_layout l;
    l.th = (wg->oh + 1) / 2;
    l.tw = (wg->ow + 1) / 2;
    l.ph = 2 * l.th + 2;
    l.pw = 2 * l.tw + 2;
    size_t per_row = 16 * (wg->channels + wg->m) * l.tw;
    size_t most = per_row ? BLOCK_BUDGET / per_row : 1;
    if (most < 1) most = 1;
    size_t blocks = l.th ? (l.th + most - 1) / most : 1;
    l.rows = l.th ? (l.th + blocks - 1) / blocks : 1; // equal blocks
    l.padded_floats = round16(wg->channels * l.ph * l.pw);
    l.v_floats = round16(16 * wg->channels * l.rows * l.tw);
    return l;
}

size_t roost_winograd_workspace_floats(const roost_winograd *wg) {
    wino_layout l = layout_of(wg);
    return l.padded_floats + l.v_floats + round16(16 * wg->m * l.rows * l.tw);
}

typedef struct {
    const roost_winograd *wg;
    wino_layout l;
    roost_isa isa;
    roost_wino_input_row input;
    roost_wino_output_row output;
    float *padded, *v, *prod, *gemm_scratch;
    size_t ty0, ty1, tiles; // the block: tile rows [ty0, ty1), tiles = its tile count
    size_t per_task_c, per_task_m;
} wino_job;

/// Zero-padded copy of channels [c0, c1): padded row py holds image row py − pt.
static void pad_channels(const wino_job *job, size_t c0, size_t c1) {
    const roost_winograd *wg = job->wg;
    size_t pw = job->l.pw, ph = job->l.ph;
    size_t left = wg->pl < pw ? wg->pl : pw;
    size_t copy = pw - left < wg->w ? pw - left : wg->w;
    for (size_t c = c0; c < c1; c++) {
        float *dst = job->padded + c * ph * pw;
        const float *src = wg->x + c * wg->h * wg->w;
        for (size_t py = 0; py < ph; py++, dst += pw) {
            long iy = (long)py - (long)wg->pt;
            if (iy < 0 || iy >= (long)wg->h) { memset(dst, 0, pw * sizeof(float)); continue; }
            memset(dst, 0, left * sizeof(float));
            memcpy(dst + left, src + (size_t)iy * wg->w, copy * sizeof(float));
            memset(dst + left + copy, 0, (pw - left - copy) * sizeof(float));
        }
    }
}

/// Task `task`'s share [*first, *last) of `total` items, `per` a task.
static void task_range(int task, size_t per, size_t total, size_t *first, size_t *last) {
    *first = (size_t)task * per;
    *last = *first + per < total ? *first + per : total;
}

static void pad_task(void *context, int task, int thread) {
    (void)thread;
    const wino_job *job = context;
    size_t c0, c1;
    task_range(task, job->per_task_c, job->wg->channels, &c0, &c1);
    if (c0 < c1) pad_channels(job, c0, c1);
}

static void input_task(void *context, int task, int thread) {
    (void)thread;
    const wino_job *job = context;
    const roost_winograd *wg = job->wg;
    size_t c0, c1;
    task_range(task, job->per_task_c, wg->channels, &c0, &c1);
    size_t plane = job->l.ph * job->l.pw, vstride = wg->channels * job->tiles;
    for (size_t c = c0; c < c1; c++)
        for (size_t ty = job->ty0; ty < job->ty1; ty++)
            job->input(job->padded + c * plane + 2 * ty * job->l.pw, job->l.pw, job->l.tw,
                       job->v + c * job->tiles + (ty - job->ty0) * job->l.tw, vstride);
}

static void product_task(void *context, int task, int thread) {
    const wino_job *job = context;
    const roost_winograd *wg = job->wg;
    size_t xi = (size_t)task;
    roost_gemm g;
    memset(&g, 0, sizeof g);
    g.m = wg->m;
    g.n = job->tiles;
    g.k = wg->channels;
    g.a_packed = wg->u_packed + xi * roost_packed_a_floats(wg->m, wg->channels);
    g.b = job->v + xi * wg->channels * job->tiles;
    g.ldb = job->tiles;
    g.c = job->prod + xi * wg->m * job->tiles;
    g.ldc = job->tiles;
    g.epilogue.alpha = 1.0f;
    g.epilogue.lo = -__builtin_inff();
    g.epilogue.hi = __builtin_inff();
    roost_gemm_run(&g, job->isa, NULL, job->gemm_scratch + (size_t)thread * roost_gemm_scratch_per_thread());
}

static void output_task(void *context, int task, int thread) {
    (void)thread;
    const wino_job *job = context;
    const roost_winograd *wg = job->wg;
    size_t m0, m1;
    task_range(task, job->per_task_m, wg->m, &m0, &m1);
    size_t mstride = wg->m * job->tiles, pixels = wg->oh * wg->ow;
    for (size_t m = m0; m < m1; m++)
        for (size_t ty = job->ty0; ty < job->ty1; ty++) {
            size_t oy = 2 * ty, rows = wg->oh - oy < 2 ? wg->oh - oy : 2;
            job->output(job->prod + m * job->tiles + (ty - job->ty0) * job->l.tw, mstride, job->l.tw, rows, wg->ow,
                        wg->y + m * pixels + oy * wg->ow, &wg->epilogue, m, oy * wg->ow);
        }
}

void roost_winograd_run(const roost_winograd *wg, roost_isa isa, roost_pool *pool, float *workspace, float *gemm_scratch) {
    if (wg->m == 0 || wg->oh == 0 || wg->ow == 0) return;
    if (!roost_isa_supported(isa)) isa = ROOST_ISA_PORTABLE;
    wino_job job = {.wg = wg, .l = layout_of(wg), .isa = isa, .gemm_scratch = gemm_scratch};
#if defined(__x86_64__)
    // AVX-512 targets run the AVX2 transforms; their products take the 512-bit GEMM.
    const int avx2 = isa == ROOST_ISA_AVX2 || isa == ROOST_ISA_AVX512;
    job.input = avx2 ? roost_wino_input_row_avx2 : roost_wino_input_row_portable;
    job.output = avx2 ? roost_wino_output_row_avx2 : roost_wino_output_row_portable;
#else
    job.input = roost_wino_input_row_portable;
    job.output = roost_wino_output_row_portable;
#endif
    job.padded = workspace;
    job.v = workspace + job.l.padded_floats;
    job.prod = job.v + job.l.v_floats;
    int threads = roost_pool_threads(pool);
    if ((double)wg->m * (double)wg->channels * (double)(wg->oh * wg->ow) < 65536.0) threads = 1;
    roost_pool *p = threads > 1 ? pool : NULL;
    size_t t = (size_t)threads;
    job.per_task_c = (wg->channels + t - 1) / t;
    job.per_task_m = (wg->m + t - 1) / t;
    int tasks_c = (int)((wg->channels + job.per_task_c - 1) / job.per_task_c);
    int tasks_m = (int)((wg->m + job.per_task_m - 1) / job.per_task_m);
    roost_pool_run(p, tasks_c, pad_task, &job);
    for (size_t ty0 = 0; ty0 < job.l.th; ty0 += job.l.rows) {
        job.ty0 = ty0;
        job.ty1 = ty0 + job.l.rows < job.l.th ? ty0 + job.l.rows : job.l.th;
        job.tiles = (job.ty1 - job.ty0) * job.l.tw;
        roost_pool_run(p, tasks_c, input_task, &job);
        roost_pool_run(p, 16, product_task, &job);
        roost_pool_run(p, tasks_m, output_task, &job);
    }
}

void roost_wino_input_row_portable(const float *src, size_t ld, size_t tw, float *v, size_t vstride) {
    for (size_t tx = 0; tx < tw; tx++) roost_wino_input_tile(src + 2 * tx, ld, v + tx, vstride);
}

void roost_wino_output_row_portable(const float *m, size_t mstride, size_t tw, size_t rows, size_t ow, float *y,
                                    const roost_epilogue *ep, size_t channel, size_t pixel0) {
    for (size_t tx = 0; tx < tw; tx++) {
        size_t ox = 2 * tx, cols = ow - ox < 2 ? ow - ox : 2;
        roost_wino_output_tile(m + tx, mstride, rows, cols, y + ox, ow, ep, channel, pixel0 + ox);
    }
}
