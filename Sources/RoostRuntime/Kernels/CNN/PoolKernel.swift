import RoostCore

/// MaxPool / AveragePool over 2-D windows of every (batch, channel) plane. Each
/// window's valid tap range is computed once, so the inner loops carry no
/// bounds checks. AveragePool divides by the valid taps, or with
/// `countIncludePad` by the taps inside the explicitly padded extent.
struct PoolKernel: Kernel {
    enum Kind: Sendable { case max, average(countIncludePad: Bool) }
    let kind: Kind
    let planes: Int
    let window: WindowParameters
    let x: UnsafeMutablePointer<Float>, y: UnsafeMutablePointer<Float>

    init(_ step: PlanStep, _ ops: KernelOperands, max: Bool) throws {
        kind = max ? .max : .average(countIncludePad: step.attributes["countIncludePad"]?.int == 1)
        planes = try step.size("planes")
        window = try WindowParameters(step)
        x = try ops.input(0, count: planes * window.inputPlane, "input X", step)
        y = try ops.output(0, count: planes * window.outputPlane, "output Y", step)
    }

    func run() {
        let g = window
        for p in 0..<planes {
            let xp = x + p * g.inputPlane
            var out = y + p * g.outputPlane
            for oy in 0..<g.oh {
                let top = oy * g.sh - g.pt
                let (ky0, ky1) = WindowParameters.range(start: top, stride: g.dh, limit: g.h, count: g.kh)
                for ox in 0..<g.ow {
                    let left = ox * g.sw - g.pl
                    let (kx0, kx1) = WindowParameters.range(start: left, stride: g.dw, limit: g.w, count: g.kw)
                    switch kind {
                    case .max:
                        var m = -Float.greatestFiniteMagnitude
                        for ky in ky0..<ky1 {
                            let r = xp + (top + ky * g.dh) * g.w + left
                            for kx in kx0..<kx1 { m = Swift.max(m, r[kx * g.dw]) }
                        }
                        out.pointee = m
                    case .average(let includePad):
                        var s: Float = 0
                        for ky in ky0..<ky1 {
                            let r = xp + (top + ky * g.dh) * g.w + left
                            for kx in kx0..<kx1 { s += r[kx * g.dw] }
                        }
                        let count: Int
                        if includePad {
                            // Taps inside the padded extent [−pads, size + pads), never the ceil_mode overhang.
                            let rows = WindowParameters.range(start: top + g.pt, stride: g.dh, limit: g.h + g.pt + g.pb, count: g.kh)
                            let cols = WindowParameters.range(start: left + g.pl, stride: g.dw, limit: g.w + g.pl + g.pr, count: g.kw)
                            count = (rows.1 - rows.0) * (cols.1 - cols.0)
                        } else {
                            count = (ky1 - ky0) * (kx1 - kx0)
                        }
                        out.pointee = count > 0 ? s / Float(count) : 0
                    }
                    out += 1
                }
            }
        }
    }
}
