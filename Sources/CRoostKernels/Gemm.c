// The GEMM driver: K/N/M blocking around the micro-kernel (Goto's loop order),
// run-time packing of the operands that were not packed at compile time, the
// one-row GEMV form, and the split of the output over the session's threads.
#include "GemmInternal.h"
#include <string.h>

#if defined(__x86_64__)
#include <cpuid.h>
#endif

static size_t round_up(size_t v, size_t to) { return (v + to - 1) / to * to; }
static size_t min_size(size_t a, size_t b) { return a < b ? a : b; }

int roost_isa_supported(roost_isa isa) {
    switch (isa) {
    case ROOST_ISA_PORTABLE: return 1;
    case ROOST_ISA_AVX2:
#if defined(__x86_64__)
        __builtin_cpu_init();
        return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
#else
        return 0;
#endif
    case ROOST_ISA_AVX512:
#if defined(__x86_64__)
        __builtin_cpu_init();
        return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
#else
        return 0;
#endif
    case ROOST_ISA_NEON:
#if defined(__aarch64__)
        return 1;
#else
        return 0;
#endif
    }
    return 0;
}

size_t roost_packed_a_floats(size_t m, size_t k) { return round_up(m, MR) * k; }
size_t roost_packed_b_floats(size_t k, size_t n) { return round_up(n, NR) * k; }

/// A[m0.., k0..] block (mc × kc) → MR-row panels, each kc·MR.
static void pack_a_block(const float *a, size_t lda, int trans, size_t m, size_t m0, size_t mc, size_t k0, size_t kc, float *out) {
    for (size_t p = 0; p < mc; p += MR, out += kc * MR) {
        size_t rows = min_size(MR, m - (m0 + p));
        if (rows > mc - p) rows = mc - p;
        for (size_t k = 0; k < kc; k++) {
            float *dst = out + k * MR;
            size_t r = 0;
            if (trans) { // A[i, k] lives at a[k·lda + i]: one contiguous run per k
                const float *src = a + (k0 + k) * lda + m0 + p;
                for (; r < rows; r++) dst[r] = src[r];
            } else {
                const float *src = a + (m0 + p) * lda + k0 + k;
                for (; r < rows; r++) dst[r] = src[r * lda];
            }
            for (; r < MR; r++) dst[r] = 0;
        }
    }
}

/// B[k0.., n0..] block (kc × nc) → NR-column panels, each kc·NR.
static void pack_b_block(const float *b, size_t ldb, int trans, size_t n, size_t n0, size_t nc, size_t k0, size_t kc, float *out) {
    for (size_t p = 0; p < nc; p += NR, out += kc * NR) {
        size_t cols = min_size(NR, n - (n0 + p));
        if (cols > nc - p) cols = nc - p;
        if (!trans && cols == NR) {
            const float *src = b + k0 * ldb + n0 + p;
            for (size_t k = 0; k < kc; k++) memcpy(out + k * NR, src + k * ldb, NR * sizeof(float));
            continue;
        }
        for (size_t k = 0; k < kc; k++) {
            float *dst = out + k * NR;
            size_t j = 0;
            if (trans) { // B[k, j] lives at b[j·ldb + k]
                const float *src = b + (n0 + p) * ldb + k0 + k;
                for (; j < cols; j++) dst[j] = src[j * ldb];
            } else {
                const float *src = b + (k0 + k) * ldb + n0 + p;
                for (; j < cols; j++) dst[j] = src[j];
            }
            for (; j < NR; j++) dst[j] = 0;
        }
    }
}

/// Taps a panel's offset table covers; wider kernels take the per-element path.
#define IM2COL_MAX_TAPS 64

/// The patch-matrix block B[k0.., n0..] (kc × nc) of a convolution, straight
/// from the image. Per panel, each tap's 16 source offsets (and whether each
/// lies inside the image) are decoded once; a row is then a copy when the 16
/// are one contiguous run, else a branch-free gather. Rows walk (channel, tap)
/// by counters, so no row pays a division.
static void pack_b_im2col_block(const roost_im2col *geo, const float *x, size_t n, size_t n0, size_t nc, size_t k0, size_t kc, float *out) {
    const long h = (long)geo->h, w = (long)geo->w;
    const size_t taps = geo->kh * geo->kw, plane_size = geo->h * geo->w;
    int32_t off[IM2COL_MAX_TAPS][NR];
    uint32_t keep[IM2COL_MAX_TAPS][NR];
    int run[IM2COL_MAX_TAPS];
    for (size_t p = 0; p < nc; p += NR, out += kc * NR) {
        long iy0[NR], ix0[NR];
        size_t cols = min_size(NR, n - (n0 + p));
        if (cols > nc - p) cols = nc - p;
        for (size_t j = 0; j < cols; j++) {
            size_t col = n0 + p + j;
            iy0[j] = (long)((col / geo->ow) * geo->sh) - (long)geo->pt;
            ix0[j] = (long)((col % geo->ow) * geo->sw) - (long)geo->pl;
        }
        if (taps <= IM2COL_MAX_TAPS) {
            for (size_t t = 0; t < taps; t++) {
                long dy = (long)((t / geo->kw) * geo->dh), dx = (long)((t % geo->kw) * geo->dw);
                int contiguous = cols == NR;
                for (size_t j = 0; j < NR; j++) {
                    long iy = j < cols ? iy0[j] + dy : -1, ix = j < cols ? ix0[j] + dx : -1;
                    int inside = iy >= 0 && iy < h && ix >= 0 && ix < w;
                    off[t][j] = inside ? (int32_t)(iy * w + ix) : 0;
                    keep[t][j] = inside ? 0xFFFFFFFFu : 0u;
                    contiguous &= inside && off[t][j] == off[t][0] + (int32_t)j;
                }
                run[t] = contiguous;
            }
            size_t c = (k0) / taps, t = (k0) % taps;
            const float *plane = x + c * plane_size;
            for (size_t k = 0; k < kc; k++) {
                float *dst = out + k * NR;
                if (run[t]) {
                    memcpy(dst, plane + off[t][0], NR * sizeof(float));
                } else {
                    const int32_t *o = off[t];
                    const uint32_t *m = keep[t];
                    uint32_t *d = (uint32_t *)dst;
                    for (size_t j = 0; j < NR; j++) {
                        uint32_t v;
                        memcpy(&v, plane + o[j], sizeof v);
                        d[j] = v & m[j];
                    }
                }
                if (++t == taps) { t = 0; plane += plane_size; }
            }
            continue;
        }
        for (size_t k = 0; k < kc; k++) {
            size_t kk = k0 + k, c = kk / taps, t = kk % taps;
            long dy = (long)((t / geo->kw) * geo->dh), dx = (long)((t % geo->kw) * geo->dw);
            const float *plane = x + c * plane_size;
            float *dst = out + k * NR;
            size_t j = 0;
            for (; j < cols; j++) {
                long iy = iy0[j] + dy, ix = ix0[j] + dx;
                dst[j] = (iy >= 0 && iy < h && ix >= 0 && ix < w) ? plane[iy * w + ix] : 0.0f;
            }
            for (; j < NR; j++) dst[j] = 0;
        }
    }
}

void roost_pack_a(size_t m, size_t k, const float *a, size_t lda, int trans, float *out) {
    pack_a_block(a, lda, trans, m, 0, round_up(m, MR), 0, k, out);
    // pack_a_block lays panels out kc·MR apart; with kc = k that is the whole-K layout.
}

void roost_pack_b(size_t k, size_t n, const float *b, size_t ldb, int trans, float *out) {
    pack_b_block(b, ldb, trans, n, 0, round_up(n, NR), 0, k, out);
}

size_t roost_gemm_scratch_per_thread(void) { return (size_t)KC * NC + (size_t)MC * KC; }

/// The kernel for a panel of `rows` rows (a short last panel gets a short kernel).
static roost_ukernel ukernel_for(roost_isa isa, size_t rows) {
#if defined(__x86_64__)
    if (isa == ROOST_ISA_AVX2) return rows <= 2 ? roost_ukernel2_avx2 : rows <= 4 ? roost_ukernel4_avx2 : roost_ukernel_avx2;
#endif
#if defined(__aarch64__)
    if (isa == ROOST_ISA_NEON) return roost_ukernel_neon;
#endif
    (void)isa;
    (void)rows;
    return roost_ukernel_portable;
}

static roost_gemv gemv_for(roost_isa isa) {
#if defined(__x86_64__)
    if (isa == ROOST_ISA_AVX2 || isa == ROOST_ISA_AVX512) return roost_gemv_avx2;
#endif
#if defined(__aarch64__)
    if (isa == ROOST_ISA_NEON) return roost_gemv_neon;
#endif
    (void)isa;
    return roost_gemv_portable;
}

/// C[m0..m1, n0..n1) of the product; m0 is MR-aligned, n0 NR-aligned.
/// Whether K is one block: the AVX2 tile reading plain A rows over packed
/// weights uses no packing buffer, so KC would only bound A's working set — and
/// every further K block stores C and loads it again. One block measured faster
/// on every shape tried, A in L2 or far beyond it (Zen 3, C harness): 49 × 320 ×
/// 960 331 → 320 µs, 128 × 256 × 1024 720 → 686, 1024³ 24.2 → 22.4 ms,
/// 12544 × 64 × 1152 26.3 → 20.4 ms.
static int whole_k(const roost_gemm *g, roost_isa isa) {
    return isa == ROOST_ISA_AVX2 && g->b_packed && !g->a_packed && !g->a_trans && !g->b_im2col;
}

#if defined(__x86_64__)
/// The rows of the next tile over plain A rows, `left` rows to go: a full tile,
/// except that 7 or 8 rows run as 4 + 3 or 4 + 4. A last 1 or 2 rows would take
/// the two-row tile, whose 2–4 accumulators wait on the FMA latency; the four-row
/// tile's 6–8 keep both FMA pipes busy. Zen 3, C harness: 32 × 1024 × 1024
/// 714 → 685 µs, 49 × 1280 × 320 435 → 422, 8 × 256 × 256 13.1 → 11.1.
static size_t last_rows(size_t left) {
    return left == MR + 1 || left == MR + 2 ? 4 : left < MR ? left : MR;
}
#endif

static void gemm_region(const roost_gemm *g, roost_isa isa, size_t m0, size_t m1, size_t n0, size_t n1, float *scratch) {
    const size_t K = g->k;
    float *bblock = scratch, *ablock = scratch + (size_t)KC * NC;
    if (g->m == 1 && g->b_packed && !g->a_packed && (!g->a_trans || g->lda == 1)) {
        gemv_for(isa)(K, g->a, g->b_packed, g->c, n0, n1, g->n, &g->epilogue);
        return;
    }
    for (size_t jc = n0; jc < n1; jc += NC) {
        size_t nc = min_size(NC, n1 - jc);
        const size_t kb = whole_k(g, isa) ? K : KC;
        for (size_t pc = 0; pc < K; pc += kb) {
            size_t kc = min_size(kb, K - pc);
            int last = pc + kc == K;
            const float *bbase;
            size_t bstride;
            if (g->b_packed) {
                bbase = g->b_packed + (jc / NR) * K * NR + pc * NR;
                bstride = K * NR;
            } else {
                if (g->b_im2col)
                    pack_b_im2col_block(g->b_im2col, g->b, g->n, jc, round_up(nc, NR), pc, kc, bblock);
                else
                    pack_b_block(g->b, g->ldb, g->b_trans, g->n, jc, round_up(nc, NR), pc, kc, bblock);
                bbase = bblock;
                bstride = kc * NR;
            }
            size_t mstep = g->a_packed ? m1 - m0 : MC;
            for (size_t ic = m0; ic < m1; ic += mstep) {
                size_t mc = min_size(mstep, m1 - ic);
                const float *abase;
                size_t astride;
#if defined(__x86_64__)
                if (isa == ROOST_ISA_AVX512 && !g->a_packed && !g->a_trans) {
                    // The 512-bit tile reads plain A rows in place: no packing pass.
                    abase = g->a + ic * g->lda + pc;
                    for (size_t jr = 0; jr < nc; jr += 2 * NR) {
                        const float *bp = bbase + (jr / NR) * bstride;
                        size_t nr = min_size(2 * NR, nc - jr);
                        for (size_t ir = 0; ir < mc; ir += MR) {
                            size_t row = ic + ir, col = jc + jr, rows = min_size(MR, mc - ir);
                            const float *ap = abase + ir * g->lda;
                            float *cp = g->c + row * g->ldc + col;
                            const roost_epilogue *ep = last ? &g->epilogue : NULL;
                            if (nr > NR)
                                roost_ukernel2_avx512_rows(kc, ap, g->lda, bp, bp + bstride, cp, g->ldc, rows, nr, pc > 0, ep, row, col);
                            else
                                roost_ukernel1_avx512_rows(kc, ap, g->lda, bp, cp, g->ldc, rows, nr, pc > 0, ep, row, col);
                        }
                    }
                    continue;
                }
                if (isa == ROOST_ISA_AVX2 && !g->a_packed && !g->a_trans) {
                    // So does the AVX2 tile: packing plain rows there is a scalar gather.
                    abase = g->a + ic * g->lda + pc;
                    for (size_t jr = 0; jr < nc; jr += NR) {
                        const float *bp = bbase + (jr / NR) * bstride;
                        size_t nr = min_size(NR, nc - jr);
                        for (size_t ir = 0, rows; ir < mc; ir += rows) {
                            size_t row = ic + ir, col = jc + jr;
                            rows = last_rows(mc - ir);
                            roost_ukernel_avx2_rows(kc, abase + ir * g->lda, g->lda, bp, g->c + row * g->ldc + col, g->ldc,
                                                    rows, nr, pc > 0, last ? &g->epilogue : NULL, row, col);
                        }
                    }
                    continue;
                }
#endif
                if (g->a_packed) {
                    abase = g->a_packed + (ic / MR) * K * MR + pc * MR;
                    astride = K * MR;
                } else {
                    pack_a_block(g->a, g->lda, g->a_trans, g->m, ic, round_up(mc, MR), pc, kc, ablock);
                    abase = ablock;
                    astride = kc * MR;
                }
#if defined(__x86_64__)
                if (isa == ROOST_ISA_AVX512) {
                    // Two B panels a tile; an odd last panel takes the one-panel form.
                    for (size_t jr = 0; jr < nc; jr += 2 * NR) {
                        const float *bp = bbase + (jr / NR) * bstride;
                        size_t nr = min_size(2 * NR, nc - jr);
                        for (size_t ir = 0; ir < mc; ir += MR) {
                            size_t row = ic + ir, col = jc + jr, rows = min_size(MR, mc - ir);
                            const float *ap = abase + (ir / MR) * astride;
                            float *cp = g->c + row * g->ldc + col;
                            const roost_epilogue *ep = last ? &g->epilogue : NULL;
                            if (nr > NR)
                                roost_ukernel2_avx512(kc, ap, bp, bp + bstride, cp, g->ldc, rows, nr, pc > 0, ep, row, col);
                            else
                                roost_ukernel1_avx512(kc, ap, bp, cp, g->ldc, rows, nr, pc > 0, ep, row, col);
                        }
                    }
                    continue;
                }
#endif
                for (size_t jr = 0; jr < nc; jr += NR) {
                    const float *bp = bbase + (jr / NR) * bstride;
                    size_t nr = min_size(NR, nc - jr);
                    for (size_t ir = 0; ir < mc; ir += MR) {
                        size_t row = ic + ir, col = jc + jr, rows = min_size(MR, mc - ir);
                        ukernel_for(isa, rows)(kc, abase + (ir / MR) * astride, bp, g->c + row * g->ldc + col, g->ldc,
                                               rows, nr, pc > 0, last ? &g->epilogue : NULL, row, col);
                    }
                }
            }
        }
    }
}

typedef struct {
    const roost_gemm *g;
    roost_isa isa;
    float *scratch;
    int split_n;
    size_t panels_per_task, panels;
} gemm_job;

static void gemm_task(void *context, int task, int thread) {
    const gemm_job *job = context;
    const roost_gemm *g = job->g;
    size_t first = (size_t)task * job->panels_per_task;
    if (first >= job->panels) return;
    size_t last = min_size(job->panels, first + job->panels_per_task);
    float *scratch = job->scratch + (size_t)thread * roost_gemm_scratch_per_thread();
    if (job->split_n)
        gemm_region(g, job->isa, 0, g->m, first * NR, min_size(g->n, last * NR), scratch);
    else
        gemm_region(g, job->isa, first * MR, min_size(g->m, last * MR), 0, g->n, scratch);
}

void roost_gemm_run(const roost_gemm *g, roost_isa isa, roost_pool *pool, float *scratch) {
    if (g->m == 0 || g->n == 0) return;
    if (g->k == 0) { // an empty sum: the epilogue of zero
        for (size_t i = 0; i < g->m; i++)
            for (size_t j = 0; j < g->n; j++) g->c[i * g->ldc + j] = roost_finish(&g->epilogue, 0, i, j);
        return;
    }
    if (!roost_isa_supported(isa)) isa = ROOST_ISA_PORTABLE;
    int threads = roost_pool_threads(pool);
    size_t mp = (g->m + MR - 1) / MR, np = (g->n + NR - 1) / NR;
    // Below ~64k multiply-adds a second thread costs more to wake than it saves.
    double work = (double)g->m * (double)g->n * (double)g->k;
    if (work < 65536.0) threads = 1;
    gemm_job job = {.g = g, .isa = isa, .scratch = scratch};
    // Split the dimension with more panels; each thread packs its own blocks.
    job.split_n = np >= mp || g->m == 1;
    job.panels = job.split_n ? np : mp;
    if ((size_t)threads > job.panels) threads = (int)job.panels;
    // A few tasks per thread, claimed as threads come free, so one preempted by
    // another process delays the product by its task, not by half of it — where
    // no task repeats another's packing: over N with A packed (conv weights), A
    // read in place (plain rows on AVX2 and AVX-512) or a GEMV; over M with B packed. (Over
    // N with A packed per task, every task would pack A again.)
    const int no_repack = job.split_n ? g->a_packed != NULL || g->m == 1 || ((isa == ROOST_ISA_AVX512 || isa == ROOST_ISA_AVX2) && !g->a_trans)
                                      : g->b_packed != NULL;
    // The GEMV reads four panels at a time and the AVX-512 tile two: N tasks keep them whole.
    size_t align = !job.split_n ? 1 : g->m == 1 ? 4 : isa == ROOST_ISA_AVX512 ? 2 : 1;
    job.panels_per_task = roost_units_per_task(job.panels, threads, align, no_repack ? ROOST_TASKS_PER_THREAD : 1);
    int tasks = (int)((job.panels + job.panels_per_task - 1) / job.panels_per_task);
    roost_pool_run(threads > 1 ? pool : NULL, tasks, gemm_task, &job);
}
