import COpenBLAS
import RoostCore

/// Conv as matrix products on OpenBLAS (algorithms `im2col-gemm` and `gemm-1x1`):
/// per image and group, Y_g[M/g, OH·OW] = W_g[M/g, C/g·kh·kw] · patches, then the
/// fused epilogue (bias, residual, activation) over the rows sgemm just wrote,
/// while they are still in cache. A pointwise stride-1 conv multiplies the input
/// directly; otherwise im2col fills a workspace planned in the arena (or, for
/// plans without one, a scratch buffer allocated here, at load time).
struct GemmConvKernel: Kernel {
    let conv: ConvStep
    let pointwise: Bool
    let columns: UnsafeMutablePointer<Float>
    /// Keeps the fallback scratch alive; nil when the plan provides the workspace.
    let scratch: CNNScratchBuffer?
    /// Whether anything is left after sgemm: an activation or a residual (the bias is pre-filled).
    let needsEpilogue: Bool

    init(_ step: PlanStep, _ ops: KernelOperands) throws {
        conv = try ConvStep(step, ops)
        let g = conv.window
        pointwise = step.attributes["algorithm"]?.string == "gemm-1x1"
        if pointwise {
            guard g.kh == 1, g.kw == 1, g.sh == 1, g.sw == 1, g.pt == 0, g.pl == 0, g.pb == 0, g.pr == 0, g.oh == g.h, g.ow == g.w else {
                throw RoostError.invalidArtifact("\(step.origin): gemm-1x1 needs a 1×1, stride-1, unpadded window")
            }
            columns = conv.x
            scratch = nil
        } else {
            let needed = try step.elements(conv.inputGroupChannels, g.taps, g.outputPlane, limit: PlanStep.maximumElements, "the im2col workspace")
            if let ws = conv.workspace {
                guard ws.count >= needed else { throw RoostError.invalidArtifact("\(step.origin): workspace holds \(ws.count) floats, im2col needs \(needed)") }
                columns = ws.pointer
                scratch = nil
            } else {
                guard needed <= PlanStep.maximumScratch else { throw RoostError.invalidArtifact("\(step.origin): im2col scratch of \(needed) floats is too large") }
                let buffer = CNNScratchBuffer(count: needed)
                columns = buffer.pointer
                scratch = buffer
            }
        }
        needsEpilogue = conv.activation != .none || conv.residual != nil
        let k = conv.inputGroupChannels * g.taps
        guard k < Int(Int32.max), g.outputPlane < Int(Int32.max) else { throw RoostError.invalidArtifact("\(step.origin): too large for BLAS") }
    }

    func run() {
        let c = conv, g = c.window
        let n = g.outputPlane, k = c.inputGroupChannels * g.taps, mg = c.outputGroupChannels
        for image in 0..<c.batch {
            for group in 0..<c.group {
                let xg = c.x + (image * c.channels + group * c.inputGroupChannels) * g.inputPlane
                let b: UnsafeMutablePointer<Float>
                if pointwise {
                    b = xg
                } else {
                    Im2Col.unfold(xg, channels: c.inputGroupChannels, g, into: columns)
                    b = columns
                }
                let y = c.y + (image * c.outChannels + group * mg) * n
                // With a bias, the rows start as the bias and sgemm accumulates onto
                // them (beta 1): that fill replaces the zeroing pass OpenBLAS makes
                // for beta 0, and convs without activation or residual need no epilogue.
                if let bias = c.bias {
                    for m in 0..<mg { (y + m * n).update(repeating: bias[group * mg + m], count: n) }
                }
                cblas_sgemm(
                    CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(mg), Int32(n), Int32(k),
                    1, c.weights + group * mg * k, Int32(k), b, Int32(n), c.bias == nil ? 0 : 1, y, Int32(n))
                if needsEpilogue {
                    for m in 0..<mg { c.finish(row: y + m * n, count: n, n: image, m: group * mg + m, includeBias: false) }
                }
            }
        }
    }
}
