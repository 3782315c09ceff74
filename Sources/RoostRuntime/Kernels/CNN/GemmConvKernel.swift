import COpenBLAS
import CRoostKernels
import RoostCore

/// Conv as matrix products (algorithms `im2col-gemm` and `gemm-1x1`): per image
/// and group, Y_g[M/g, OH·OW] = W_g[M/g, C/g·kh·kw] · patches. A pointwise
/// stride-1 conv multiplies the input directly; otherwise im2col fills a workspace
/// planned in the arena (or, for plans without one, a scratch buffer allocated
/// here, at load time).
///
/// With Roost's GEMM (step attribute `gemm`), the weights arrive packed into
/// panels by the compiler and bias, residual and clamp-type activations are
/// applied to each tile in registers; with OpenBLAS, the bias seeds the output
/// and the epilogue runs over the rows sgemm just wrote.
struct GemmConvKernel: Kernel {
    /// A `roost_im2col` at a stable address for the kernel's lifetime.
    final class PatchGeometry {
        let pointer: UnsafeMutablePointer<roost_im2col>
        init(_ channels: Int, _ g: WindowParameters) {
            pointer = .allocate(capacity: 1)
            pointer.initialize(to: roost_im2col(
                channels: channels, h: g.h, w: g.w, kh: g.kh, kw: g.kw, sh: g.sh, sw: g.sw, pt: g.pt, pl: g.pl,
                dh: g.dh, dw: g.dw, oh: g.oh, ow: g.ow))
        }
        deinit { pointer.deallocate() }
    }

    let conv: ConvStep
    let pointwise: Bool
    let columns: UnsafeMutablePointer<Float>
    /// Keeps the fallback scratch alive; nil when the plan provides the workspace.
    let scratch: CNNScratchBuffer?
    /// Whether anything is left after the product: an activation or a residual (OpenBLAS path),
    /// or an activation the micro-kernel cannot apply (Roost path).
    let needsEpilogue: Bool
    /// Roost's GEMM for one group, when the compiler chose it.
    let gemm: PackedGemm?
    /// The patch geometry Roost's packer reads the image with (im2col without the matrix).
    let patches: PatchGeometry?
    let weightsPacked: Bool
    /// The direct kernel (step attribute `convKernel` `direct`), when the compiler chose it.
    let direct: DirectConv?
    /// Winograd F(2×2, 3×3) (`convKernel` `winograd`), when the compiler chose it.
    let winograd: WinogradConv?

    init(_ step: PlanStep, _ ops: KernelOperands) throws {
        conv = try ConvStep(step, ops)
        // Only the direct kernel writes channels-last (one group, NCHW input).
        let channelsLastOutput = conv.outputLayout == .nhwc && conv.group == 1 && step.attributes["convKernel"]?.string == "direct"
        guard conv.inputLayout == .nchw, conv.outputLayout == .nchw || channelsLastOutput else {
            throw RoostError.invalidArtifact("\(step.origin): this conv kernel reads NCHW values, and writes channels-last only on the direct kernel")
        }
        let g = conv.window
        pointwise = step.attributes["algorithm"]?.string == "gemm-1x1"
        switch step.attributes["convKernel"]?.string {
        case nil:
            direct = nil
            winograd = nil
        case "winograd":
            guard case .roost(let isa) = try GemmImplementation(step), try GemmImplementation.packedOperand(step) == "w" else {
                throw RoostError.invalidArtifact("\(step.origin): the Winograd conv kernel needs Roost's GEMM and weights packed for it")
            }
            let wg = try WinogradConv(conv, isa: isa, context: ops.context, origin: step.origin)
            winograd = wg
            direct = nil
            columns = conv.x
            scratch = nil
            gemm = nil
            patches = nil
            weightsPacked = true
            needsEpilogue = wg.needsEpilogue
            return
        case "direct":
            winograd = nil
            guard case .roost(let isa) = try GemmImplementation(step), try GemmImplementation.packedOperand(step) == "b" else {
                throw RoostError.invalidArtifact("\(step.origin): the direct conv kernel needs Roost's GEMM and weights packed as B")
            }
            direct = try DirectConv(conv, isa: isa, context: ops.context, origin: step.origin)
            columns = conv.x
            scratch = nil
            gemm = nil
            patches = nil
            weightsPacked = true
            needsEpilogue = direct!.needsEpilogue
            return
        case let other?:
            throw RoostError.invalidArtifact("\(step.origin): conv kernel '\(other)' is unknown to this runtime")
        }
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
        let k = conv.inputGroupChannels * g.taps
        guard k < Int(Int32.max), g.outputPlane < Int(Int32.max) else { throw RoostError.invalidArtifact("\(step.origin): too large for BLAS") }
        let packed = try GemmImplementation.packedOperand(step)
        switch try GemmImplementation(step) {
        case .openBLAS:
            guard packed == nil else { throw RoostError.invalidArtifact("\(step.origin): packed weights need Roost's GEMM") }
            gemm = nil
            patches = nil
            weightsPacked = false
            needsEpilogue = conv.activation != .none || conv.residual != nil
        case .roost(let isa):
            // Weights computed at run time stay plain OIHW rows (packed here, block by block).
            guard packed == nil || packed == "a" else { throw RoostError.invalidArtifact("\(step.origin): conv weights can only be packed as A") }
            weightsPacked = packed == "a"
            var call = PackedGemm(m: conv.outputGroupChannels, n: g.outputPlane, k: k, isa: isa, context: ops.context)
            call.plainA(lda: k, transposed: false)
            call.plainB(ldb: g.outputPlane, transposed: false)
            if !pointwise {
                let geometry = PatchGeometry(conv.inputGroupChannels, g)
                call.call.b_im2col = UnsafePointer(geometry.pointer)
                patches = geometry
            } else {
                patches = nil
            }
            call.call.epilogue.ldr = g.outputPlane
            needsEpilogue = !call.call.epilogue.fuse(conv.activation)
            gemm = call
        }
    }

    func run() {
        if let direct {
            direct.run(conv)
            return
        }
        if let winograd {
            winograd.run(conv)
            return
        }
        let c = conv, g = c.window
        let n = g.outputPlane, k = c.inputGroupChannels * g.taps, mg = c.outputGroupChannels
        let packedGroup = PackedGemm.packedAFloats(m: mg, k: k)
        for image in 0..<c.batch {
            for group in 0..<c.group {
                let xg = c.x + (image * c.channels + group * c.inputGroupChannels) * g.inputPlane
                let b: UnsafeMutablePointer<Float>
                if pointwise || gemm != nil {
                    b = xg
                } else {
                    Im2Col.unfold(xg, channels: c.inputGroupChannels, g, into: columns)
                    b = columns
                }
                let y = c.y + (image * c.outChannels + group * mg) * n
                if let gemm {
                    gemm.run(a: weightsPacked ? nil : c.weights + group * mg * k, aPacked: weightsPacked ? c.weights + group * packedGroup : nil,
                             b: b, bPacked: nil, c: y,
                             biasM: c.bias.map { UnsafePointer($0 + group * mg) },
                             residual: c.residual.map { UnsafePointer($0 + (image * c.outChannels + group * mg) * n) })
                    if needsEpilogue {
                        c.activation.apply(y, count: mg * n, on: gemm.context)
                    }
                    continue
                }
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
