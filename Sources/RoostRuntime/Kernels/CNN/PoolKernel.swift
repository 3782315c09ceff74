import CRoostKernels
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

    /// Output columns whose window lies wholly inside the row (at least one tap wide).
    let interior: Range<Int>
    /// The compiler's `simd` `avx2`: a 3-wide max pool whose whole windows run on
    /// `roost_max_pool3_avx2`, straight from the input rows.
    let vectorRows: Bool

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
        // Window starts rise with the column, so the whole windows are one run between the borders.
        let cols = columns, kw = g.kw
        let whole = cols.indices.filter { cols[$0].first == 0 && cols[$0].last == kw && kw > 0 }
        interior = whole.first.map { $0..<(whole.last! + 1) } ?? 0..<0
        partition = ChannelPartition(count: planes, context: ops.context, work: ChannelPartition.work(planes * g.outputPlane, g.taps))
        switch step.attributes["simd"]?.string {
        case nil: vectorRows = false
        case "avx2":
            guard max, g.kw == 3, g.dw == 1, (1...2).contains(g.sw) else {
                throw RoostError.invalidArtifact("\(step.origin): only a 3-wide, undilated max pool of stride 1 or 2 has an avx2 form")
            }
            guard roost_isa_supported(ROOST_ISA_AVX2) != 0 else {
                throw RoostError.invalidArtifact("\(step.origin): compiled for AVX2, which this CPU lacks; compile for this machine's target")
            }
            vectorRows = true
        case let other?:
            throw RoostError.invalidArtifact("\(step.origin): SIMD family '\(other)' is unknown to this runtime")
        }
        // The row, then (stride-2 max) its even and odd columns; the vector form reads the input rows in place.
        let line = vectorRows ? 1 : 2 * g.w + 2
        lines = (0..<partition.workers).map { _ in CNNScratchBuffer(count: line) }
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
        if vectorRows {
            vectorPool(planes, rows, columns)
            return
        }
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
                // Horizontal pass: border windows over their valid columns; the interior
                // (every window whole) in a loop without extents, which for the common
                // 3-wide max is three loads and two selects an output (scalar `Swift.max`
                // with the extents: 8 ns an output, 3 × 3 / 2 over 2 × 64 × 56 × 56).
                let line = UnsafePointer(t)
                for ox in 0..<interior.lowerBound { out[ox] = border(line, columns[ox], ox, r, average: average, empty: empty) }
                if !average, g.kw == 3, g.dw == 1, g.sw == 2, !interior.isEmpty {
                    // Stride 2: the row's even and odd columns as two contiguous runs, so
                    // each window is three unit-stride reads the loop vectorizes.
                    let half = (g.w + 1) / 2, even = t + g.w, odd = even + half
                    for i in 0..<(g.w / 2) {
                        even[i] = t[2 &* i]
                        odd[i] = t[2 &* i &+ 1]
                    }
                    if g.w % 2 == 1 { even[half - 1] = t[g.w - 1] }
                    // Column 2·ox − pl + k of window ox: even[ox + j] or odd[ox + j], j fixed per k.
                    func tap(_ k: Int) -> UnsafePointer<Float> {
                        let j = k - g.pl
                        return j & 1 == 0 ? UnsafePointer(even + (j >> 1)) : UnsafePointer(odd + ((j - 1) >> 1))
                    }
                    let p0 = tap(0), p1 = tap(1), p2 = tap(2), o = out
                    for ox in interior {
                        let a = p0[ox], b = p1[ox], c = p2[ox]
                        let m = b > a ? b : a
                        o[ox] = c > m ? c : m
                    }
                } else if !average, g.kw == 3, g.dw == 1 {
                    for ox in interior {
                        let l = line + (ox * g.sw - g.pl)
                        let a = l[0], b = l[1], c = l[2]
                        let m = b > a ? b : a
                        out[ox] = c > m ? c : m
                    }
                } else {
                    let scale = average ? 1 / Float(r.counted * g.kw) : 1
                    for ox in interior {
                        let l = line + (ox * g.sw - g.pl)
                        var v = l[0]
                        for kx in 1..<g.kw {
                            let u = l[kx * g.dw]
                            v = average ? v + u : (u > v ? u : v)
                        }
                        out[ox] = average ? (r.counted > 0 ? v * scale : 0) : v
                    }
                }
                for ox in interior.upperBound..<g.ow { out[ox] = border(line, columns[ox], ox, r, average: average, empty: empty) }
                out += g.ow
            }
        }
    }

    /// The 3-wide max pool with its whole windows on 8 lanes, read from the input
    /// rows in place; the few border windows each reduce their valid taps here.
    private func vectorPool(_ planes: Range<Int>, _ rows: UnsafeBufferPointer<Extent>, _ columns: UnsafeBufferPointer<Extent>) {
        let g = window
        let lead = interior.lowerBound
        for p in planes {
            let xp = x + p * g.inputPlane
            var out = y + p * g.outputPlane
            for oy in 0..<g.oh {
                let r = rows[oy]
                let top = xp + (oy * g.sh - g.pt + r.first * g.dh) * g.w
                let count = r.last - r.first
                func borderWindow(_ ox: Int) -> Float {
                    let c = columns[ox], left = top + (ox * g.sw - g.pl)
                    var v = -Float.greatestFiniteMagnitude
                    for ky in 0..<count {
                        for kx in c.first..<c.last { v = Swift.max(v, left[ky * g.dh * g.w + kx * g.dw]) }
                    }
                    return v
                }
                for ox in 0..<lead { out[ox] = borderWindow(ox) }
                if count > 0, !interior.isEmpty {
                    roost_max_pool3_avx2(top + (lead * g.sw - g.pl), g.dh * g.w, count, g.sw, out + lead, interior.count)
                } else {
                    for ox in interior { out[ox] = borderWindow(ox) }
                }
                for ox in interior.upperBound..<g.ow { out[ox] = borderWindow(ox) }
                out += g.ow
            }
        }
    }

    /// One border window's reduction over its valid columns.
    @inline(__always)
    private func border(_ t: UnsafePointer<Float>, _ c: Extent, _ ox: Int, _ r: Extent, average: Bool, empty: Float) -> Float {
        let g = window
        let left = t + (ox * g.sw - g.pl)
        var v = empty
        if average {
            for kx in c.first..<c.last { v += left[kx * g.dw] }
            let count = r.counted * c.counted
            return count > 0 ? v / Float(count) : 0
        }
        for kx in c.first..<c.last { v = Swift.max(v, left[kx * g.dw]) }
        return v
    }
}
