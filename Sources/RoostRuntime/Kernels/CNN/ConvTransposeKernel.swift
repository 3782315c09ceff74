import COpenBLAS
import RoostCore

/// ConvTranspose: per image and group one sgemm col[M/g·kh·kw, H·W] = Wᵀ_g · X_g,
/// then col2im scatter-adds every column row into the output, which starts as the
/// bias; a fused activation runs last. Weights arrive packed `[g][M/g·kh·kw][C/g]`
/// (`weightLayout` = `packed`) or in ONNX's `[C, M/g, kh, kw]` (`iohw`, read transposed).
struct ConvTransposeKernel: Kernel {
    let batch: Int, channels: Int, outChannels: Int, group: Int
    let window: WindowParameters
    let activation: FusedActivation
    let packed: Bool
    let x: UnsafeMutablePointer<Float>, weights: UnsafeMutablePointer<Float>, bias: UnsafeMutablePointer<Float>?
    let y: UnsafeMutablePointer<Float>
    let columns: UnsafeMutablePointer<Float>
    let scratch: CNNScratchBuffer?

    init(_ step: PlanStep, _ ops: KernelOperands) throws {
        batch = try step.positiveSize("batch")
        channels = try step.positiveSize("channels")
        outChannels = try step.positiveSize("outChannels")
        group = try step.positiveSize("group")
        guard channels % group == 0, outChannels % group == 0 else {
            throw RoostError.invalidArtifact("\(step.origin): group \(group) does not divide \(channels) → \(outChannels) channels")
        }
        window = try WindowParameters(step, .transposed)
        activation = try FusedActivation(step)
        switch step.attributes["weightLayout"]?.string {
        case "packed": packed = true
        case "iohw": packed = false
        default: throw RoostError.invalidArtifact("\(step.origin): unknown weightLayout")
        }
        let w = window
        x = try ops.checkedInput(0, count: try step.elements(batch, channels, w.inputPlane), "input X", step)
        weights = try ops.checkedInput(1, count: try step.elements(channels, outChannels / group, w.taps), "weights W", step)
        bias = try ops.checkedOptionalInput(2, count: outChannels, "bias B", step)
        y = try ops.checkedOutput(0, count: try step.elements(batch, outChannels, w.outputPlane), "output Y", step)
        let needed = try step.elements(outChannels / group, w.taps, w.inputPlane, limit: PlanStep.maximumScratch, "the col2im scratch")
        guard needed < Int(Int32.max), channels / group < Int(Int32.max) else { throw RoostError.invalidArtifact("\(step.origin): too large for BLAS") }
        if ops.outputs.count > 1 {
            guard ops.outputShapes[1].reduce(1, *) >= needed else { throw RoostError.invalidArtifact("\(step.origin): workspace too small") }
            columns = ops.outputs[1]
            scratch = nil
        } else {
            let buffer = CNNScratchBuffer(count: needed)
            columns = buffer.pointer
            scratch = buffer
        }
    }

    func run() {
        let g = window, cg = channels / group, mg = outChannels / group
        let rows = mg * g.taps, n = g.inputPlane
        for image in 0..<batch {
            for m in 0..<outChannels {
                (y + (image * outChannels + m) * g.outputPlane).update(repeating: bias?[m] ?? 0, count: g.outputPlane)
            }
            for grp in 0..<group {
                let xg = x + (image * channels + grp * cg) * n
                if packed {
                    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(rows), Int32(n), Int32(cg),
                                1, weights + grp * rows * cg, Int32(cg), xg, Int32(n), 0, columns, Int32(n))
                } else {
                    cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, Int32(rows), Int32(n), Int32(cg),
                                1, weights + grp * cg * rows, Int32(rows), xg, Int32(n), 0, columns, Int32(n))
                }
                scatter(into: y + (image * outChannels + grp * mg) * g.outputPlane, channels: mg)
            }
            if activation != .none { activation.apply(y + image * outChannels * g.outputPlane, count: outChannels * g.outputPlane) }
        }
    }

    /// col2im: output[m, iy·sh − pt + ky·dh, ix·sw − pl + kx·dw] += col[(m, ky, kx), iy, ix].
    private func scatter(into out: UnsafeMutablePointer<Float>, channels mg: Int) {
        let g = window
        var row = UnsafePointer(columns)
        for m in 0..<mg {
            let plane = out + m * g.outputPlane
            for ky in 0..<g.kh {
                for kx in 0..<g.kw {
                    let (first, last) = WindowParameters.range(start: kx * g.dw - g.pl, stride: g.sw, limit: g.ow, count: g.w)
                    for iy in 0..<g.h {
                        let oy = iy * g.sh - g.pt + ky * g.dh
                        guard oy >= 0, oy < g.oh, first < last else { continue }
                        let dst = plane + oy * g.ow + (kx * g.dw - g.pl)
                        let src = row + iy * g.w
                        for ix in first..<last { dst[ix * g.sw] += src[ix] }
                    }
                    row += g.inputPlane
                }
            }
        }
    }
}
