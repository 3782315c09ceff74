// The direct convolution's driver: the padded copy of the image, the tap
// offsets, the walk over (pixel block, channel panel) units split across the
// session's threads, and the portable tile that the tests compare against.
#include "GemmInternal.h"
#include <string.h>

#define TILE ROOST_CONV_PIXELS
/// Tiles per pixel block: a block's image rows and every channel panel's
/// weights stay in L2 while its tiles pass over them.
#define BLOCK_TILES 16

/// Rows and columns of the image the window reads, in padded coordinates.
static size_t read_extent(size_t out, size_t stride, size_t taps, size_t dilation) {
    return (out - 1) * stride + (taps - 1) * dilation + 1;
}

/// Whether the window stays inside the image, so the image itself can be read.
static int needs_padding(const roost_im2col *g) {
    return g->pt != 0 || g->pl != 0 || read_extent(g->oh, g->sh, g->kh, g->dh) > g->h
        || read_extent(g->ow, g->sw, g->kw, g->dw) > g->w;
}

static size_t taps_floats(const roost_im2col *g) {
    size_t k = g->channels * g->kh * g->kw;
    return (k + 15) / 16 * 16; // int32 offsets, one per float slot, 64-byte aligned after
}

size_t roost_conv_workspace_floats(const roost_im2col *g) {
    size_t n = taps_floats(g);
    if (needs_padding(g)) n += g->channels * read_extent(g->oh, g->sh, g->kh, g->dh) * read_extent(g->ow, g->sw, g->kw, g->dw);
    return n;
}

typedef struct {
    const roost_conv *conv;
    roost_conv_tile tile;
    const float *image; // padded copy or the image itself
    size_t wp, plane;   // its row and plane strides
    const int32_t *koff;
    /// The conv's epilogue; for a channels-last output with rows and columns swapped
    /// (rows are pixels, the per-channel bias is bias_n).
    roost_epilogue epilogue;
    size_t k, pixels, tiles, block_tiles, blocks, panels, units, per_task;
} conv_job;

static void conv_task(void *context, int task, int thread) {
    (void)thread;
    const conv_job *job = context;
    const roost_conv *cv = job->conv;
    const roost_im2col *g = &cv->geo;
    size_t first = (size_t)task * job->per_task;
    size_t last = first + job->per_task < job->units ? first + job->per_task : job->units;
    for (size_t u = first; u < last; u++) {
        size_t block = u / job->panels, panel = u % job->panels;
        size_t ch0 = panel * NR, chans = cv->m - ch0 < NR ? cv->m - ch0 : NR;
        const float *w = cv->w_packed + panel * job->k * NR;
        size_t t0 = block * job->block_tiles, t1 = t0 + job->block_tiles < job->tiles ? t0 + job->block_tiles : job->tiles;
        for (size_t t = t0; t < t1; t++) {
            size_t p0 = t * TILE, rows = job->pixels - p0 < TILE ? job->pixels - p0 : TILE;
            const float *base[TILE];
            for (size_t r = 0; r < TILE; r++) {
                size_t p = p0 + (r < rows ? r : 0);
                size_t oy = p / g->ow, ox = p % g->ow;
                base[r] = job->image + oy * g->sh * job->wp + ox * g->sw;
            }
            if (cv->nhwc)
                job->tile(job->k, job->koff, base, w, cv->y + p0 * cv->ldy + ch0, cv->ldy, rows, chans, &job->epilogue, ch0, p0, 1);
            else
                job->tile(job->k, job->koff, base, w, cv->y + ch0 * job->pixels + p0, job->pixels, rows, chans,
                          &job->epilogue, ch0, p0, 0);
        }
    }
}

int roost_conv_run(const roost_conv *cv, roost_isa isa, roost_pool *pool, float *workspace) {
    const roost_im2col *g = &cv->geo;
    size_t pixels = g->oh * g->ow, k = g->channels * g->kh * g->kw;
    if (cv->m == 0 || pixels == 0) return 0;
    if (!roost_isa_supported(isa)) isa = ROOST_ISA_PORTABLE;
    size_t hp = read_extent(g->oh, g->sh, g->kh, g->dh), wp = read_extent(g->ow, g->sw, g->kw, g->dw);
    const float *image = cv->x;
    size_t row = g->w, plane = g->h * g->w;
    if (needs_padding(g)) {
        float *padded = workspace + taps_floats(g);
        row = wp;
        plane = hp * wp;
        // Columns [pl, pl + copy) of padded rows [pt, pt + h) hold the image; the rest is zero.
        size_t copy = wp > g->pl ? (g->w < wp - g->pl ? g->w : wp - g->pl) : 0;
        for (size_t c = 0; c < g->channels; c++) {
            float *dst = padded + c * plane;
            const float *src = cv->x + c * g->h * g->w;
            for (size_t y = 0; y < hp; y++, dst += wp) {
                long iy = (long)y - (long)g->pt;
                if (iy < 0 || iy >= (long)g->h || copy == 0) { memset(dst, 0, wp * sizeof(float)); continue; }
                size_t left = g->pl < wp ? g->pl : wp;
                memset(dst, 0, left * sizeof(float));
                memcpy(dst + left, src + (size_t)iy * g->w, copy * sizeof(float));
                memset(dst + left + copy, 0, (wp - left - copy) * sizeof(float));
            }
        }
        image = padded;
    }
    if ((double)g->channels * (double)plane >= 2147483647.0) return -1;
    int32_t *koff = (int32_t *)workspace;
    size_t i = 0;
    for (size_t c = 0; c < g->channels; c++)
        for (size_t ky = 0; ky < g->kh; ky++)
            for (size_t kx = 0; kx < g->kw; kx++)
                koff[i++] = (int32_t)(c * plane + ky * g->dh * row + kx * g->dw);

    conv_job job = {.conv = cv, .image = image, .wp = row, .plane = plane, .koff = koff, .k = k, .pixels = pixels,
                    .epilogue = cv->epilogue};
    if (cv->nhwc) {
        job.epilogue.bias_n = cv->epilogue.bias_m;
        job.epilogue.bias_m = NULL;
    }
#if defined(__x86_64__)
    job.tile = isa == ROOST_ISA_AVX2 || isa == ROOST_ISA_AVX512 ? roost_conv_tile_avx2 : roost_conv_tile_portable;
#else
    job.tile = roost_conv_tile_portable;
#endif
    job.tiles = (pixels + TILE - 1) / TILE;
    // Blocks of equal size, so that units (block × panel) cost the same and split evenly.
    job.blocks = (job.tiles + BLOCK_TILES - 1) / BLOCK_TILES;
    job.block_tiles = (job.tiles + job.blocks - 1) / job.blocks;
    job.blocks = (job.tiles + job.block_tiles - 1) / job.block_tiles;
    job.panels = (cv->m + NR - 1) / NR;
    job.units = job.blocks * job.panels;
    int threads = roost_pool_threads(pool);
    if ((double)cv->m * (double)pixels * (double)k < 65536.0) threads = 1;
    if ((size_t)threads > job.units) threads = (int)job.units;
    // A few units a task, claimed as threads come free (see roost_gemm_run).
    job.per_task = roost_units_per_task(job.units, threads, 1, ROOST_TASKS_PER_THREAD);
    int tasks = (int)((job.units + job.per_task - 1) / job.per_task);
    roost_pool_run(threads > 1 ? pool : NULL, tasks, conv_task, &job);
    return 0;
}

void roost_conv_tile_portable(size_t k, const int32_t *koff, const float *const *base, const float *w,
                              float *y, size_t ldy, size_t rows, size_t chans, const roost_epilogue *ep,
                              size_t ch0, size_t p0, int nhwc) {
    float acc[TILE][NR] = {{0}};
    for (size_t i = 0; i < k; i++) {
        for (int r = 0; r < TILE; r++) {
            float a = base[r][koff[i]];
            for (int j = 0; j < NR; j++) acc[r][j] += a * w[i * NR + j];
        }
    }
    if (nhwc) {
        for (size_t r = 0; r < rows; r++)
            for (size_t j = 0; j < chans; j++) y[r * ldy + j] = roost_finish(ep, acc[r][j], p0 + r, ch0 + j);
        return;
    }
    for (size_t j = 0; j < chans; j++)
        for (size_t r = 0; r < rows; r++) y[j * ldy + r] = roost_finish(ep, acc[r][j], ch0 + j, p0 + r);
}
