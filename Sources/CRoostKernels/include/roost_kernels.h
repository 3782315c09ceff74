// Roost's own CPU kernels: a packed single-precision GEMM with fused epilogues,
// its GEMV form for one-row problems, a thread pool owned by an inference session,
// and the FMA peak probe the benchmark compares against.
//
// Nothing here is compiled for the build machine's ISA: every vector routine
// carries its own target attribute and the caller picks the kernel family from
// the ISA the agent probed (recorded in the artifact), so one binary serves every
// x86-64 level and a wrong choice fails loudly instead of faulting.
#ifndef ROOST_KERNELS_H
#define ROOST_KERNELS_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// Register tile of the micro-kernels: MR rows × NR columns. Packed panels (the
/// layout weights are stored in inside an artifact) are built for this tile.
enum { ROOST_GEMM_MR = 6, ROOST_GEMM_NR = 16 };

/// Kernel families. The value is stored in compiled plans; keep the numbers stable.
typedef enum {
    ROOST_ISA_PORTABLE = 0, ///< plain C, any CPU (also the reference the tests compare with)
    ROOST_ISA_AVX2 = 1,     ///< x86-64 AVX2 + FMA (Haswell, Zen and later)
    /// x86-64 AVX-512F (Skylake-SP, Ice Lake, Zen 4 and later): the GEMM's 6×32
    /// tile on 512-bit vectors; the other kernels run their AVX2 forms.
    ROOST_ISA_AVX512 = 2,
    /// AArch64 Advanced SIMD (every AArch64 CPU has it): the GEMM's 6×16 tile on
    /// 4-lane vectors over the same panels; the other kernels run their portable forms.
    ROOST_ISA_NEON = 3,
} roost_isa;

/// Whether this CPU can run `isa` (cpuid; NEON on any AArch64), so a misrouted artifact is refused.
int roost_isa_supported(roost_isa isa);

// MARK: thread pool

typedef struct roost_pool roost_pool;

/// A pool of `threads` − 1 workers plus the calling thread. Workers spin briefly
/// between tasks (a batch-1 model dispatches thousands of small steps a second),
/// then sleep.
roost_pool *roost_pool_create(int threads);
void roost_pool_destroy(roost_pool *pool);
int roost_pool_threads(const roost_pool *pool);

/// Runs fn(context, task, thread) for task in [0, tasks), spread over the pool;
/// returns when every task is done. `thread` is in [0, threads) and stable per
/// worker, so tasks can index per-thread scratch. A NULL pool runs inline.
typedef void (*roost_task_fn)(void *context, int task, int thread);
void roost_pool_run(roost_pool *pool, int tasks, roost_task_fn fn, void *context);

/// Tasks per pool thread the kernels split their work into where splitting finer
/// repeats no work: the pool hands tasks out as threads come free, so a thread
/// preempted by another process holds up its own task only.
enum { ROOST_TASKS_PER_THREAD = 4 };

/// Units a task when `units` units of equal cost are split over `threads`: the
/// finest split, up to `tasks_per_thread` tasks a thread (ROOST_TASKS_PER_THREAD
/// where finer tasks repeat no work, 1 where each task would pack again), whose busiest
/// thread carries no more units than any coarser split's. (20 GEMM panels over
/// 2 threads as 7 tasks of 3 leave one thread 11 panels; 4 tasks of 5 leave each
/// 10.) Each task's units are a multiple of `align` (≥ 1) except the last.
/// For units that cost the same: the depthwise conv's rows do not (border rows take
/// the per-pixel path), and there finer tasks claimed as threads come free balance
/// better (mobilenet_v2's 14 × 14 layers: 208 µs as 7 tasks of 2 rows, 219–228 as 2 of 7).
size_t roost_units_per_task(size_t units, int threads, size_t align, int tasks_per_thread);

// MARK: GEMM

/// The transcendental activation an epilogue ends with (after the clamp and the
/// leaky slope): computed in registers with the runtime's FastMath formulas.
typedef enum {
    ROOST_ACT_NONE = 0,
    ROOST_ACT_GELU = 1,    ///< y·(1 + erf(y/√2))/2 (the rational erf)
    ROOST_ACT_SILU = 2,    ///< y·sigmoid(y) (ONNX Swish, alpha 1)
    ROOST_ACT_SIGMOID = 3, ///< 1 / (1 + e^−y)
} roost_act;

/// Applied to each output tile while it is still in registers, after the last
/// K block: y = act(alpha·acc + bias_m[row] + bias_n[col] + residual[row, col]),
/// act a clamp, leaky ReLU and/or one roost_act.
typedef struct {
    float alpha;              ///< scale of the product (1 for none)
    const float *bias_m;      ///< one value per output row, or NULL
    const float *bias_n;      ///< one value per output column, or NULL
    const float *residual;    ///< same shape as C, or NULL
    size_t ldr;               ///< row stride of residual
    float lo, hi;             ///< clamp (relu is [0, +inf); none is [-inf, +inf])
    float leaky_alpha;        ///< used when leaky != 0: y < 0 ? alpha·y : y (after the clamp)
    int leaky;
    int act;                  ///< a roost_act, applied last
} roost_epilogue;

/// B as the patch matrix of a 2-D convolution over one image group (im2col
/// without the matrix): B[(c·kh + ky)·kw + kx, oy·ow + ox] = x[c, oy·sh − pt + ky·dh,
/// ox·sw − pl + kx·dw], zero in the padding. The packer reads the image directly.
typedef struct {
    size_t channels, h, w, kh, kw, sh, sw, pt, pl, dh, dw, oh, ow;
} roost_im2col;

/// C[M,N] = A[M,K] · B[K,N], then the epilogue. Each operand is either pre-packed
/// (`*_packed`: panels of MR rows / NR columns over the whole K, zero-padded) or
/// plain row-major (optionally transposed) and packed here, block by block, into
/// `scratch`. C is overwritten.
typedef struct {
    size_t m, n, k;
    const float *a; size_t lda; int a_trans; const float *a_packed;
    const float *b; size_t ldb; int b_trans; const float *b_packed;
    const roost_im2col *b_im2col; ///< when set, b is the image these patches come from
    float *c; size_t ldc;
    roost_epilogue epilogue;
} roost_gemm;

/// Floats of scratch one call needs per thread (packing buffers for the operands
/// that are not pre-packed).
size_t roost_gemm_scratch_per_thread(void);

/// Runs the product on `pool` (NULL: the calling thread). `scratch` holds
/// roost_gemm_scratch_per_thread() floats for every pool thread, 64-byte aligned.
void roost_gemm_run(const roost_gemm *g, roost_isa isa, roost_pool *pool, float *scratch);

/// Packs A[M,K] (row-major, or its transpose when trans) into MR-row panels over
/// the whole K: out[p·K·MR + k·MR + r] = A[p·MR + r, k], zero past M.
/// `out` holds roost_packed_a_floats(m, k) floats.
void roost_pack_a(size_t m, size_t k, const float *a, size_t lda, int trans, float *out);
size_t roost_packed_a_floats(size_t m, size_t k);

/// Packs B[K,N] into NR-column panels over the whole K:
/// out[p·K·NR + k·NR + c] = B[k, p·NR + c], zero past N.
void roost_pack_b(size_t k, size_t n, const float *b, size_t ldb, int trans, float *out);
size_t roost_packed_b_floats(size_t k, size_t n);

// MARK: direct convolution

/// Pixels per tile of the direct convolution (its register tile is 6 pixels ×
/// 16 output channels, the GEMM tile turned around).
enum { ROOST_CONV_PIXELS = 6 };

/// A convolution over one image group as a product pixels × channels, without a
/// patch matrix: each 6-pixel tile broadcasts its patch values straight from a
/// zero-padded copy of the image while the weights — packed as B, 16-channel
/// panels over K = C·kh·kw (roost_pack_b(K, m, W, K, 1, ·)) — stream as vectors.
/// Any window, stride, dilation and padding; the output stays [m, oh·ow].
typedef struct {
    roost_im2col geo;        ///< the group's geometry (channels = its input channels)
    size_t m;                ///< output channels of the group
    const float *x;          ///< the group's image, [channels, h, w]
    const float *w_packed;   ///< the group's weights packed as B
    float *y;                ///< [m, oh·ow], or [oh·ow, ldy] when nhwc
    roost_epilogue epilogue; ///< bias_m per output channel; residual [m, ldr] ([oh·ow, ldr] when nhwc)
    /// Nonzero: write channels-last, pixel p's channel j at y[p·ldy + j] (so a
    /// conv can hand a channels-last region its input straight from the stem).
    int nhwc;
    size_t ldy;
} roost_conv;

/// Floats of workspace roost_conv_run needs for this geometry (the tap offsets
/// and, when the window reaches past the image, the padded copy).
size_t roost_conv_workspace_floats(const roost_im2col *geo);

/// Runs the convolution on `pool` (NULL: inline). `workspace` holds
/// roost_conv_workspace_floats floats, 64-byte aligned. Returns 0, or −1 when
/// the geometry is too large for the kernel's 32-bit tap offsets.
int roost_conv_run(const roost_conv *conv, roost_isa isa, roost_pool *pool, float *workspace);

// MARK: Winograd convolution

/// A stride-1, undilated 3×3 convolution over one image group as Winograd's
/// F(2×2, 3×3): each 2×2 output tile costs 16 multiplies per channel pair instead
/// of 36. The weight transform U = G g Gᵀ is made at compile time and stored as 16
/// matrices [m, channels], each packed as GEMM A (roost_winograd_pack_weights); per
/// block of tile rows the input transform, the 16 products on Roost's GEMM and the
/// output transform (with the epilogue) run on the session's threads. Output
/// [m, oh·ow]; oh and ow follow from the padding (any bottom/right padding).
typedef struct {
    size_t channels, m, h, w, pt, pl, oh, ow;
    const float *x;          ///< the group's image, [channels, h, w]
    const float *u_packed;   ///< roost_winograd_weights_floats(m, channels) floats
    float *y;                ///< [m, oh·ow]
    roost_epilogue epilogue; ///< bias_m per output channel; residual [m, ldr]
} roost_winograd;

/// Floats of the transformed, packed weights of one group.
size_t roost_winograd_weights_floats(size_t m, size_t channels);

/// Transforms w [m, channels, 3, 3] and packs the 16 matrices as GEMM A panels.
void roost_winograd_pack_weights(size_t m, size_t channels, const float *w, float *out);

/// Floats of workspace roost_winograd_run needs (the padded image and one block's
/// transformed input and products); it depends on the geometry only.
size_t roost_winograd_workspace_floats(const roost_winograd *wg);

/// Runs the convolution on `pool` (NULL: inline). `workspace` holds
/// roost_winograd_workspace_floats floats and `gemm_scratch`
/// roost_gemm_scratch_per_thread() floats per pool thread, both 64-byte aligned.
void roost_winograd_run(const roost_winograd *wg, roost_isa isa, roost_pool *pool, float *workspace, float *gemm_scratch);

// MARK: depthwise convolution

/// out[q] = Σ_t w[t] · x[q + offsets[t]] for q in [0, 16·blocks): the direct
/// depthwise kernel's accumulation over its padded, stride-phased input plane.
/// x86-64 only (AVX2 + FMA); callers check roost_isa_supported first.
void roost_depthwise_blocks_avx2(size_t blocks, const float *x, const ptrdiff_t *offsets, size_t taps,
                                 const float *w, float *out);

/// y[r, c] = clamp(acc[r·pitch + c] + bias + residual[r, c], lo, hi) over a
/// rows × cols plane (residual may be NULL): the depthwise kernel's copy out of
/// its padded-pitch plane with the clamp-type epilogue. AVX2, x86-64 only.
void roost_depthwise_finish_avx2(const float *acc, size_t pitch, size_t rows, size_t cols, float *y,
                                 float bias, const float *residual, float lo, float hi);

/// out[o·out_stride + q] = Σ_i Σ_t w[(o·cin + i)·taps + t] · x[i·plane_stride + q + offsets[t]]
/// for q in [0, 16·blocks) and o < nout ≤ 4: the direct grouped conv's accumulation
/// over a group's cin padded, stride-phased input planes (plane_stride floats apart)
/// for up to four of its output channels. The AVX2 form needs AVX2 + FMA (callers
/// check roost_isa_supported); the portable one runs anywhere.
void roost_grouped_blocks_avx2(size_t blocks, const float *x, size_t plane_stride, size_t cin, const ptrdiff_t *offsets,
                               size_t taps, const float *w, size_t nout, float *out, size_t out_stride);
void roost_grouped_blocks_portable(size_t blocks, const float *x, size_t plane_stride, size_t cin, const ptrdiff_t *offsets,
                                   size_t taps, const float *w, size_t nout, float *out, size_t out_stride);

/// even[i] = src[2i], odd[i] = src[2i + 1] over n floats: a stride-2 depthwise
/// conv's input row split into its column phases. AVX2, x86-64 only.
void roost_deinterleave2_avx2(const float *src, size_t n, float *even, float *odd);

/// A depthwise convolution (one input channel per output channel) in channels-last
/// layout, where a pixel's channels are one contiguous vector: no per-channel plane
/// copies, and the epilogue is applied as each pixel is written.
typedef struct {
    size_t batch, channels, h, w, kh, kw, sh, sw, pt, pl, dh, dw, oh, ow;
    const float *x;        ///< [batch, h, w, channels]
    const float *weights;  ///< [kh·kw, channels]: tap-major, so a tap's weights are one vector
    const float *bias;     ///< [channels], or NULL
    const float *residual; ///< like y, or NULL
    float lo, hi;          ///< clamp (none is [-inf, +inf])
    float *y;              ///< [batch, oh, ow, channels]
} roost_depthwise_nhwc;

/// Runs it on `pool` (NULL: inline), output rows split over the threads.
void roost_depthwise_nhwc_run(const roost_depthwise_nhwc *d, roost_isa isa, roost_pool *pool);

/// Output rows [row0, row1) (row = n·oh + oy) on AVX2 + FMA / AVX-512F; x86-64 only.
void roost_depthwise_nhwc_rows_avx2(const roost_depthwise_nhwc *d, size_t row0, size_t row1);
void roost_depthwise_nhwc_rows_avx512(const roost_depthwise_nhwc *d, size_t row0, size_t row1);

// MARK: softmax

/// y = softmax(x) (log_softmax: log of it) over one contiguous row of n floats, with
/// the runtime's FastMath.exp, 8 lanes wide; a row holding NaN, or whose maximum is
/// infinite, becomes all NaN. AVX2 + FMA, x86-64 only.
void roost_softmax_row_avx2(const float *x, float *y, size_t n, int log_softmax);

// MARK: elementwise

/// y[i] = act(x[i]) over n floats (x may equal y): the unfused pass of a
/// roost_act, 8 lanes at a time with the epilogue's formulas. AVX2 + FMA, x86-64 only.
void roost_activation_avx2(int act, const float *x, float *y, size_t n);

// MARK: pooling

/// One output row's whole windows of a 3-wide max pool (stride 1 or 2, undilated
/// columns): out[i] = max over r < rows, k < 3 of top[r·row_stride + stride·i + k],
/// the rows reduced first, in order, then the three columns left to right — the
/// same comparisons, and so the same NaN handling, as the runtime's scalar loop.
/// `top` is the first window's first tap in its first valid row. AVX2, x86-64 only.
void roost_max_pool3_avx2(const float *top, size_t row_stride, size_t rows, size_t stride, float *out, size_t count);

// MARK: the machine's limit

/// Single-precision FLOP/s that `threads` threads (one per CPU) achieve on
/// independent FMA chains of the given family for about `seconds`: the peak the
/// benchmark's GFLOP/s figures are read against.
double roost_fma_peak(roost_isa isa, int threads, double seconds);

#ifdef __cplusplus
}
#endif
#endif
