import RoostCore

/// Depthwise conv (algorithm `direct-depthwise`: one input channel per group,
/// M = multiplier·C): a direct loop per output row — the row accumulates every
/// tap as a vector axpy over the output width, then gets its epilogue while in L1.
struct DepthwiseConvKernel: Kernel {
    let conv: ConvStep
    let multiplier: Int

    init(_ step: PlanStep, _ ops: KernelOperands) throws {
        conv = try ConvStep(step, ops)
        guard conv.group == conv.channels, conv.outChannels % conv.channels == 0 else {
            throw RoostError.invalidArtifact("\(step.origin): direct-depthwise needs group == channels (\(conv.group) vs \(conv.channels))")
        }
        multiplier = conv.outChannels / conv.channels
    }

    func run() {
        let c = conv, g = c.window
        for image in 0..<c.batch {
            for m in 0..<c.outChannels {
                let x = c.x + (image * c.channels + m / multiplier) * g.inputPlane
                let y = c.y + (image * c.outChannels + m) * g.outputPlane
                let w = c.weights + m * g.taps
                for oy in 0..<g.oh {
                    let row = y + oy * g.ow
                    row.update(repeating: 0, count: g.ow)
                    for ky in 0..<g.kh {
                        let iy = oy * g.sh - g.pt + ky * g.dh
                        guard iy >= 0, iy < g.h else { continue }
                        let input = x + iy * g.w
                        for kx in 0..<g.kw {
                            let (first, last) = g.validColumns(offset: kx * g.dw)
                            guard first < last else { continue }
                            let src = input + (kx * g.dw - g.pl)
                            Self.axpy(w[ky * g.kw + kx], src, stride: g.sw, into: row, first, last)
                        }
                    }
                    c.finish(row: row, count: g.ow, n: image, m: m, offset: oy * g.ow)
                }
            }
        }
    }

    /// row[i] += a · src[i·stride] for i in [first, last).
    @inline(__always)
    static func axpy(_ a: Float, _ src: UnsafeMutablePointer<Float>, stride: Int, into row: UnsafeMutablePointer<Float>, _ first: Int, _ last: Int) {
        var i = first
        if stride == 1 {
            let va = SIMD8<Float>(repeating: a)
            while i + 8 <= last {
                SIMD8Access.store(SIMD8Access.load(row + i) + va * SIMD8Access.load(src + i), row + i)
                i += 8
            }
        }
        while i < last {
            row[i] += a * src[i * stride]
            i += 1
        }
    }
}
