import CRoostKernels
import RoostCore

/// Depthwise conv (algorithm `direct-depthwise`: one input channel per group,
/// M = multiplier·C) and grouped conv with a few input channels per group
/// (`direct-grouped`, ResNeXt's 32 × 4) as a direct, vectorized loop.
///
/// Each input channel is first copied into a zero-bordered scratch plane split
/// into sh × sw phases (phase (a, b) holds padded rows a, a + sh, … and columns
/// b, b + sw, …). In that layout output (oy, ox) reads tap (ky, kx) at a fixed
/// offset from oy·pw + ox, for every stride and dilation — so the whole output
/// plane, computed `pw` columns wide, is one long run of 8-wide vector loads with
/// no bounds checks. The valid columns are then copied out with the epilogue.
/// A grouped conv loads each of the group's input channels into its own phase
/// planes and sums over them too, four output channels at a time.
/// Borders are zeroed once, when the kernel is prepared; a run copies interiors.
/// The (image, group) items are split over the plan's threads by a fixed
/// `ChannelPartition`, each worker with its own scratch planes.
struct DepthwiseConvKernel: Kernel {
    let conv: ConvStep
    /// Output channels per group, and input channels per group (1 for depthwise).
    let multiplier: Int, groupInputs: Int
    /// Floats between one input channel's phase planes and the next in a worker's scratch.
    let inputStride: Int
    /// The compiler asked for the AVX2 + FMA inner loop (step attribute `simd`).
    let avx2: Bool
    /// Columns per phase row (the padded output row pitch) and floats per phase.
    let pitch: Int, phaseSize: Int
    /// Per worker: the phase planes of its current group's input channels.
    let inputs: [CNNScratchBuffer]
    /// Per worker: the output plane(s) at row pitch `pitch`, rounded up to whole
    /// 16-float blocks (four of them for a grouped conv).
    let outputs: [CNNScratchBuffer]
    let partition: ChannelPartition
    let outputBlocks: Int
    /// Per tap, where its input starts relative to output position q = oy·pitch + ox.
    let tapOffsets: [Int]
    /// Per input row, where its first phase row starts in the input scratch.
    let rowOffsets: [Int]
    /// Per column phase b: the first input column landing in it, how many do, and
    /// where the first lands relative to the row's start.
    let columnPhases: [(first: Int, count: Int, offset: Int)]

    init(_ step: PlanStep, _ ops: KernelOperands) throws {
        conv = try ConvStep(step, ops)
        guard conv.inputLayout == .nchw, conv.outputLayout == .nchw else {
            throw RoostError.invalidArtifact("\(step.origin): this depthwise kernel reads and writes NCHW values only")
        }
        let grouped = step.attributes["algorithm"]?.string == "direct-grouped"
        guard grouped || conv.group == conv.channels else {
            throw RoostError.invalidArtifact("\(step.origin): direct-depthwise needs group == channels (\(conv.group) vs \(conv.channels))")
        }
        multiplier = conv.outputGroupChannels
        groupInputs = conv.inputGroupChannels
        guard groupInputs <= Self.maximumGroupInputs else {
            throw RoostError.invalidArtifact("\(step.origin): direct-grouped takes at most \(Self.maximumGroupInputs) input channels a group, not \(groupInputs)")
        }
        switch step.attributes["simd"]?.string {
        case nil: avx2 = false
        case "avx2":
            guard roost_isa_supported(ROOST_ISA_AVX2) != 0 else {
                throw RoostError.invalidArtifact("\(step.origin): compiled for AVX2 + FMA, which this CPU lacks; compile for this machine's target")
            }
            avx2 = true
        case let other?: throw RoostError.invalidArtifact("\(step.origin): SIMD family '\(other)' is unknown to this runtime")
        }
        let g = conv.window
        // Every padded row/column a tap can touch, and at least the padded input.
        let rows = Swift.max(g.h + g.pt + g.pb, (g.oh - 1) * g.sh + (g.kh - 1) * g.dh + 1)
        let columns = Swift.max(g.w + g.pl + g.pr, (g.ow - 1) * g.sw + (g.kw - 1) * g.dw + 1)
        pitch = (columns + g.sw - 1) / g.sw
        let maxRowShift = ((g.kh - 1) * g.dh) / g.sh, maxColumnShift = ((g.kw - 1) * g.dw) / g.sw
        let limit = PlanStep.maximumScratch, what = "the depthwise scratch"
        outputBlocks = (try step.elements(g.oh, pitch, limit: limit, what) + 15) / 16
        // Room for the rows the input occupies and for the last block's furthest tap.
        let phaseRows = Swift.max((rows + g.sh - 1) / g.sh, g.oh + maxRowShift)
        phaseSize = Swift.max(try step.elements(phaseRows, pitch, limit: limit, what),
                              outputBlocks * 16 + (try step.elements(maxRowShift, pitch, limit: limit, what)) + maxColumnShift)
        partition = ChannelPartition(count: conv.batch * conv.group, context: ops.context,
                                     work: ChannelPartition.work(conv.batch * conv.outChannels * g.outputPlane, g.taps * groupInputs))
        let inputCount = try step.elements(phaseSize, g.sh, g.sw, limit: limit, what)
        inputStride = inputCount
        let groupInputCount = try step.elements(inputCount, groupInputs, limit: limit, what)
        inputs = (0..<partition.workers).map { _ in CNNScratchBuffer(count: groupInputCount) }
        let outputCount = outputBlocks * 16 * (groupInputs > 1 ? Self.outputsPerPass : 1)
        outputs = (0..<partition.workers).map { _ in CNNScratchBuffer(count: outputCount) }
        var offsets: [Int] = []
        for ky in 0..<g.kh {
            for kx in 0..<g.kw {
                let r = ky * g.dh, c = kx * g.dw
                offsets.append(((r % g.sh) * g.sw + c % g.sw) * phaseSize + (r / g.sh) * pitch + c / g.sw)
            }
        }
        tapOffsets = offsets
        let (size, rowPitch) = (phaseSize, pitch)
        rowOffsets = (0..<g.h).map { iy in
            let r = iy + g.pt
            return (r % g.sh) * g.sw * size + (r / g.sh) * rowPitch
        }
        columnPhases = (0..<g.sw).compactMap { b in
            let first = (b - g.pl % g.sw + g.sw) % g.sw  // first ix with (ix + pl) % sw == b
            guard first < g.w else { return nil }
            return (first, (g.w - first + g.sw - 1) / g.sw, b * size + (first + g.pl) / g.sw)
        }
    }

    func run() {
        tapOffsets.withUnsafeBufferPointer { taps in
            rowOffsets.withUnsafeBufferPointer { rows in
                columnPhases.withUnsafeBufferPointer { phases in run(offsets: taps, rows: rows, phases: phases) }
            }
        }
    }

    /// The clamp the AVX2 copy-out applies: a clamp-type activation's bounds, or
    /// none ((−∞, +∞)) when there is no activation or one the 8-lane pass computes
    /// after it; nil for the rest (the Swift epilogue).
    private var copyOutBounds: (Float, Float)? {
        switch conv.activation {
        case .none: (-.infinity, .infinity)
        case .clamp(let lo, let hi): (lo, hi)
        default: transcendental == nil ? nil : (-.infinity, .infinity)
        }
    }

    /// The activation's C form when it is one the AVX2 pass computes (after a copy-out without clamp).
    private var transcendental: Int32? { conv.activation.epilogueAct.map { Int32($0.rawValue) } }

    private func run(offsets: UnsafeBufferPointer<Int>, rows: UnsafeBufferPointer<Int>, phases: UnsafeBufferPointer<(first: Int, count: Int, offset: Int)>) {
        let c = conv, g = c.window
        partition.run { worker, items in
            let input = inputs[worker].pointer, output = outputs[worker].pointer
            for item in items {
                let image = item / c.group, group = item % c.group
                for i in 0..<groupInputs {
                    load(c.x + (item * groupInputs + i) * g.inputPlane, into: input + i * inputStride, rows, phases)
                }
                if groupInputs > 1 {
                    grouped(image: image, group: group, input: input, output: output, offsets: offsets)
                    continue
                }
                for k in 0..<multiplier {
                    let m = group * multiplier + k
                    let w = c.weights + m * g.taps
                    if avx2 {
                        roost_depthwise_blocks_avx2(outputBlocks, input, offsets.baseAddress, offsets.count, w, output)
                    } else if g.taps == 9 {
                        accumulate3x3(w, offsets, input, output)
                    } else {
                        accumulate(w, offsets, input, output)
                    }
                    finish(output, image: image, m: m)
                }
            }
        }
    }

    /// Input channels a group may have here: the grouped loop's working set is that
    /// many phase planes; wider groups fill the GEMM's panels anyway.
    static let maximumGroupInputs = 64
    /// Output channels one grouped pass computes (the C loop's register block).
    static let outputsPerPass = 4

    /// A group's output channels, four at a time, over its loaded input planes.
    @inline(__always)
    private func grouped(image: Int, group: Int, input: UnsafeMutablePointer<Float>, output: UnsafeMutablePointer<Float>,
                         offsets: UnsafeBufferPointer<Int>) {
        let c = conv, g = c.window, plane = outputBlocks * 16
        var k = 0
        while k < multiplier {
            let count = Swift.min(Self.outputsPerPass, multiplier - k), m = group * multiplier + k
            let w = c.weights + m * groupInputs * g.taps
            if avx2 {
                roost_grouped_blocks_avx2(outputBlocks, input, inputStride, groupInputs, offsets.baseAddress, offsets.count, w, count, output, plane)
            } else {
                roost_grouped_blocks_portable(outputBlocks, input, inputStride, groupInputs, offsets.baseAddress, offsets.count, w, count, output, plane)
            }
            for j in 0..<count { finish(output + j * plane, image: image, m: m + j) }
            k += count
        }
    }

    /// Output channel m of the image from its accumulated plane: the valid columns, with the epilogue.
    @inline(__always)
    private func finish(_ output: UnsafeMutablePointer<Float>, image: Int, m: Int) {
        let c = conv, g = c.window
        let y = c.y + (image * c.outChannels + m) * g.outputPlane
        if avx2, let (lo, hi) = copyOutBounds {
            let residual = c.residual.map { UnsafePointer($0 + (image * c.outChannels + m) * g.outputPlane) }
            roost_depthwise_finish_avx2(output, pitch, g.oh, g.ow, y, c.bias?[m] ?? 0, residual, lo, hi)
            // A SiLU, sigmoid or GELU then runs over the plane while it is in L1/L2.
            if let act = transcendental { roost_activation_avx2(act, y, y, g.outputPlane) }
            return
        }
        for oy in 0..<g.oh {
            c.finish(from: output + oy * pitch, row: y + oy * g.ow, count: g.ow, n: image, m: m, offset: oy * g.ow)
        }
    }

    /// Any window: taps in the inner loop, two 8-wide accumulators per step.
    @inline(__always)
    private func accumulate(_ w: UnsafeMutablePointer<Float>, _ offsets: UnsafeBufferPointer<Int>,
                            _ input: UnsafeMutablePointer<Float>, _ out: UnsafeMutablePointer<Float>) {
        let x = UnsafePointer(input)
        for block in 0..<outputBlocks {
            let q = block * 16
            var a = SIMD8<Float>(), b = SIMD8<Float>()
            for t in 0..<offsets.count {
                let wt = SIMD8<Float>(repeating: w[t]), src = x + q + offsets[t]
                a = a + wt * SIMD8Access.load(src)
                b = b + wt * SIMD8Access.load(src + 8)
            }
            SIMD8Access.store(a, out + q)
            SIMD8Access.store(b, out + q + 8)
        }
    }

    /// 3×3 windows (nearly every depthwise conv): the nine weights stay in registers.
    @inline(__always)
    private func accumulate3x3(_ w: UnsafeMutablePointer<Float>, _ o: UnsafeBufferPointer<Int>,
                               _ input: UnsafeMutablePointer<Float>, _ out: UnsafeMutablePointer<Float>) {
        let x = UnsafePointer(input)
        let w0 = SIMD8<Float>(repeating: w[0]), w1 = SIMD8<Float>(repeating: w[1]), w2 = SIMD8<Float>(repeating: w[2])
        let w3 = SIMD8<Float>(repeating: w[3]), w4 = SIMD8<Float>(repeating: w[4]), w5 = SIMD8<Float>(repeating: w[5])
        let w6 = SIMD8<Float>(repeating: w[6]), w7 = SIMD8<Float>(repeating: w[7]), w8 = SIMD8<Float>(repeating: w[8])
        let p0 = x + o[0], p1 = x + o[1], p2 = x + o[2], p3 = x + o[3], p4 = x + o[4]
        let p5 = x + o[5], p6 = x + o[6], p7 = x + o[7], p8 = x + o[8]
        for block in 0..<outputBlocks {
            for half in 0..<2 {
                let q = block * 16 + half * 8
                var a = w0 * SIMD8Access.load(p0 + q)
                var b = w1 * SIMD8Access.load(p1 + q)
                a = a + w2 * SIMD8Access.load(p2 + q)
                b = b + w3 * SIMD8Access.load(p3 + q)
                a = a + w4 * SIMD8Access.load(p4 + q)
                b = b + w5 * SIMD8Access.load(p5 + q)
                a = a + w6 * SIMD8Access.load(p6 + q)
                b = b + w7 * SIMD8Access.load(p7 + q)
                a = a + w8 * SIMD8Access.load(p8 + q)
                SIMD8Access.store(a + b, out + q)
            }
        }
    }

    /// Copies one input plane into the phase planes' interiors: padded position
    /// (r, c) = (iy + pt, ix + pl) goes to phase (r % sh, c % sw) at (r / sh, c / sw),
    /// using the row and column-phase tables made at load time.
    @inline(__always)
    private func load(_ x: UnsafeMutablePointer<Float>, into p: UnsafeMutablePointer<Float>, _ rows: UnsafeBufferPointer<Int>,
                      _ phases: UnsafeBufferPointer<(first: Int, count: Int, offset: Int)>) {
        let g = conv.window
        for iy in 0..<g.h {
            let src = x + iy * g.w, rowBase = p + rows[iy]
            if g.sw == 1 {
                (rowBase + g.pl).update(from: src, count: g.w)
                continue
            }
            if g.sw == 2, avx2, phases.count == 2 {
                // The two column phases as one AVX2 shuffle pass; phase 0's first input column is 0 or 1.
                let even = phases[0].first == 0 ? phases[0] : phases[1], odd = phases[0].first == 0 ? phases[1] : phases[0]
                roost_deinterleave2_avx2(src, g.w, rowBase + even.offset, rowBase + odd.offset)
                continue
            }
            for phase in phases {
                let dst = rowBase + phase.offset, s = src + phase.first
                if g.sw == 2 {
                    for j in 0..<phase.count { dst[j] = s[2 &* j] }  // constant stride: LLVM vectorizes it
                } else {
                    for j in 0..<phase.count { dst[j] = s[j &* g.sw] }
                }
            }
        }
    }
}
