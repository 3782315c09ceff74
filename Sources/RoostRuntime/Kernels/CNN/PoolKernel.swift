import RoostCore

/// MaxPool / AveragePool over 2-D windows of every (batch, channel) plane, as
/// two separable passes per output row: a vertical reduction of the window's
/// input rows into a row buffer (contiguous, vectorized), then a short
/// horizontal reduction per output. The valid tap range of every window row and
/// column is computed once, when the kernel is prepared.
/// AveragePool divides by the valid taps, or with `countIncludePad` by the taps
/// inside the explicitly padded extent (never the ceil_mode overhang).
/// Planes are split over the plan's threads by a fixed `ChannelPartition`.
struct PoolKernel: Kernel {
    enum Kind: Sendable { case max, average(countIncludePad: Bool) }
    let kind: Kind
    let planes: Int
    let window: WindowParameters
    let x: UnsafeMutablePointer<Float>, y: UnsafeMutablePointer<Float>
    /// Per output row: first and last valid ky and the divisor's row count; same per column.
    let rows: [Extent], columns: [Extent]
    /// Per worker: one input row's worth of vertical maxima or sums.
    let lines: [CNNScratchBuffer]
    let partition: ChannelPartition

    struct Extent: Sendable {
        var first: Int, last: Int, counted: Int
    }

    init(_ step: PlanStep, _ ops: KernelOperands, max: Bool) throws {
        let includePad = step.attributes["countIncludePad"]?.int == 1
        kind = max ? .max : .average(countIncludePad: includePad)
        planes = try step.positiveSize("planes")
        let g = try WindowParameters(step)
        window = g
        x = try ops.checkedInput(0, count: try step.elements(planes, g.inputPlane), "input X", step)
        y = try ops.checkedOutput(0, count: try step.elements(planes, g.outputPlane), "output Y", step)
        func extents(outputs: Int, stride: Int, pad: Int, padEnd: Int, dilation: Int, size: Int, kernel: Int) -> [Extent] {
            (0..<outputs).map { o in
                let start = o * stride - pad
                let (first, last) = WindowParameters.range(start: start, stride: dilation, limit: size, count: kernel)
                let padded = WindowParameters.range(start: start + pad, stride: dilation, limit: size + pad + padEnd, count: kernel)
                return Extent(first: first, last: last, counted: includePad ? padded.1 - padded.0 : last - first)
            }
        }
        rows = extents(outputs: g.oh, stride: g.sh, pad: g.pt, padEnd: g.pb, dilation: g.dh, size: g.h, kernel: g.kh)
        columns = extents(outputs: g.ow, stride: g.sw, pad: g.pl, padEnd: g.pr, dilation: g.dw, size: g.w, kernel: g.kw)
        partition = ChannelPartition(count: planes, context: ops.context, work: ChannelPartition.work(planes * g.outputPlane, g.taps))
        lines = (0..<partition.workers).map { _ in CNNScratchBuffer(count: g.w) }
    }

    func run() {
        rows.withUnsafeBufferPointer { r in columns.withUnsafeBufferPointer { c in run(r, c) } }
    }

    private func run(_ rows: UnsafeBufferPointer<Extent>, _ columns: UnsafeBufferPointer<Extent>) {
        let average: Bool
        if case .average = kind { average = true } else { average = false }
        let empty: Float = average ? 0 : -Float.greatestFiniteMagnitude
        partition.run { worker, planes in
            pool(planes, line: lines[worker].pointer, rows, columns, average: average, empty: empty)
        }
    }

    private func pool(_ planes: Range<Int>, line t: UnsafeMutablePointer<Float>, _ rows: UnsafeBufferPointer<Extent>,
                      _ columns: UnsafeBufferPointer<Extent>, average: Bool, empty: Float) {
        let g = window
        for p in planes {
            let xp = x + p * g.inputPlane
            var out = y + p * g.outputPlane
            for oy in 0..<g.oh {
                let r = rows[oy]
                let top = xp + (oy * g.sh - g.pt) * g.w
                // Vertical pass: t[ix] = reduction over the window's valid input rows.
                if r.first < r.last {
                    t.update(from: top + r.first * g.dh * g.w, count: g.w)
                    for ky in (r.first + 1)..<r.last {
                        let src = top + ky * g.dh * g.w
                        if average {
                            for ix in 0..<g.w { t[ix] += src[ix] }
                        } else {
                            for ix in 0..<g.w { t[ix] = src[ix] > t[ix] ? src[ix] : t[ix] }
                        }
                    }
                } else {
                    t.update(repeating: empty, count: g.w)
                }
                // Horizontal pass over the valid columns of each window.
                for ox in 0..<g.ow {
                    let c = columns[ox]
                    let left = t + (ox * g.sw - g.pl)
                    var v = empty
                    if average {
                        for kx in c.first..<c.last { v += left[kx * g.dw] }
                        let count = r.counted * c.counted
                        v = count > 0 ? v / Float(count) : 0
                    } else {
                        for kx in c.first..<c.last { v = Swift.max(v, left[kx * g.dw]) }
                    }
                    out.pointee = v
                    out += 1
                }
            }
        }
    }
}
