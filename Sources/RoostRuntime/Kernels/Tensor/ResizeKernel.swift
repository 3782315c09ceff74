import RoostCore

/// ONNX Resize with linear or cubic interpolation (nearest Resize is a `remap`).
/// The compiler sends one tap table per resized axis: the input is `planes`
/// blocks of `inputDims`, and output element (p, o₁…oₘ) is
/// Σ w₁[o₁,t₁]·…·wₘ[oₘ,tₘ] · x[p, i₁[o₁,t₁], …, iₘ[oₘ,tₘ]], or
/// `extrapolationValue` where an axis marks its output index outside the crop
/// (index -1, tf_crop_and_resize).
///
/// Each output row (the last axis) starts at zero and accumulates, for every
/// combination of outer-axis taps, that input row filtered by the last axis's
/// taps: a short dot product per element over contiguous input. The summation
/// order is fixed, so results are deterministic.
final class ResizeKernel: Kernel {
    let x: UnsafeMutablePointer<Float>, y: UnsafeMutablePointer<Float>
    let planes: Int, rank: Int
    let inputPlane: Int, outputPlane: Int
    let extrapolation: Float
    /// Per axis: output length, taps per output, input stride, and
    /// where its entries start in `indices`/`weights` and its flags in `outside`.
    let outputDims: KernelScratch<Int>, taps: KernelScratch<Int>
    let strides: KernelScratch<Int>, tableStart: KernelScratch<Int>, outsideStart: KernelScratch<Int>
    /// Input indices (an outside output's entries read index 0 at weight 0) and weights.
    let indices: KernelScratch<Int>, weights: KernelScratch<Float>
    /// Per axis and output index: whether it takes the extrapolation value.
    let outside: KernelScratch<Bool>
    /// Odometers over the outer output indices and their taps.
    let outputIndex: KernelScratch<Int>, tapIndex: KernelScratch<Int>

    /// Most taps per output index the compiler emits.
    static let maxTaps = 1 << 16

    init(_ step: PlanStep, _ ops: KernelOperands) throws {
        planes = try step.positiveSize("planes")
        let ins = try step.requiredInts("inputDims"), outs = try step.requiredInts("outputDims"), tapCounts = try step.requiredInts("taps")
        let table = try step.requiredInts("indices")
        guard case .floats(let w)? = step.attributes["weights"] else { throw RoostError.invalidArtifact("resize \(step.origin) lacks attribute 'weights'") }
        guard !ins.isEmpty, ins.count <= 32, ins.count == outs.count, ins.count == tapCounts.count,
              (ins + outs).allSatisfy({ $0 >= 1 && $0 < 1 << 30 }), tapCounts.allSatisfy({ $0 >= 1 && $0 <= Self.maxTaps }) else {
            throw RoostError.invalidArtifact("resize \(step.origin): inputDims \(ins), outputDims \(outs) and taps \(tapCounts) do not describe a resize")
        }
        rank = ins.count
        inputPlane = try ins.reduce(1) { try step.elements($0, $1, limit: PlanStep.maximumElements, "the input") }
        outputPlane = try outs.reduce(1) { try step.elements($0, $1, limit: PlanStep.maximumElements, "the output") }
        x = try ops.checkedInput(0, count: try step.elements(planes, inputPlane, limit: PlanStep.maximumElements, "the input"), "input X", step)
        y = try ops.checkedOutput(0, count: try step.elements(planes, outputPlane, limit: PlanStep.maximumElements, "the output"), "output Y", step)

        // Every table entry must index its own axis; -1 marks an outside output index.
        var starts: [Int] = [], flagStarts: [Int] = [], at = 0
        var clean: [Int] = [], flags: [Bool] = []
        for d in 0..<rank {
            let n = try step.elements(outs[d], tapCounts[d], limit: PlanStep.maximumElements, "a tap table")
            guard at + n <= table.count else { throw RoostError.invalidArtifact("resize \(step.origin): tap tables are shorter than the axes need") }
            starts.append(at)
            flagStarts.append(flags.count)
            for o in 0..<outs[d] {
                let entries = table[(at + o * tapCounts[d])..<(at + (o + 1) * tapCounts[d])]
                guard entries.allSatisfy({ $0 >= -1 && $0 < ins[d] }) else {
                    throw RoostError.invalidArtifact("resize \(step.origin): axis \(d) reads beyond its \(ins[d]) input elements")
                }
                let out = entries.contains(-1)
                flags.append(out)
                clean.append(contentsOf: entries.map { out ? 0 : $0 })
            }
            at += n
        }
        guard at == table.count, w.count == table.count else {
            throw RoostError.invalidArtifact("resize \(step.origin): \(table.count) indices and \(w.count) weights for \(at) tap entries")
        }
        var weightsClean = w
        for d in 0..<rank {
            for o in 0..<outs[d] where flags[flagStarts[d] + o] {
                for t in 0..<tapCounts[d] { weightsClean[starts[d] + o * tapCounts[d] + t] = 0 }
            }
        }
        var s = [Int](repeating: 1, count: rank)
        for d in stride(from: rank - 2, through: 0, by: -1) { s[d] = s[d + 1] * ins[d + 1] }
        extrapolation = step.float("extrapolationValue") ?? 0
        outputDims = KernelScratch(outs)
        taps = KernelScratch(tapCounts)
        strides = KernelScratch(s)
        tableStart = KernelScratch(starts)
        outsideStart = KernelScratch(flagStarts)
        indices = KernelScratch(clean)
        weights = KernelScratch(weightsClean)
        outside = KernelScratch(flags)
        outputIndex = KernelScratch(repeating: 0, count: rank)
        tapIndex = KernelScratch(repeating: 0, count: rank)
    }

    func run() {
        let m = rank, outer = m - 1
        let outLen = outputDims.pointer, tapCount = taps.pointer, stride = strides.pointer
        let start = tableStart.pointer, flagStart = outsideStart.pointer
        let index = indices.pointer, weight = weights.pointer, flag = outside.pointer
        let oi = outputIndex.pointer, ti = tapIndex.pointer
        let inner = outLen[outer], innerTaps = tapCount[outer]
        let innerIndex = index + start[outer], innerWeight = weight + start[outer], innerOutside = flag + flagStart[outer]
        var rows = 1
        for d in 0..<outer { rows *= outLen[d] }
        var out = y
        for p in 0..<planes {
            let xp = x + p * inputPlane
            oi.update(repeating: 0, count: m)
            for _ in 0..<rows {
                var rowOutside = false
                for d in 0..<outer where flag[flagStart[d] + oi[d]] { rowOutside = true }
                if rowOutside {
                    out.update(repeating: extrapolation, count: inner)
                } else {
                    out.update(repeating: 0, count: inner)
                    ti.update(repeating: 0, count: m)
                    while true {
                        var w: Float = 1, base = 0
                        for d in 0..<outer {
                            let e = start[d] + oi[d] * tapCount[d] + ti[d]
                            w *= weight[e]
                            base += index[e] * stride[d]
                        }
                        if w != 0 {
                            let src = xp + base
                            var e = 0
                            for o in 0..<inner {
                                var s: Float = 0
                                for t in 0..<innerTaps { s += innerWeight[e + t] * src[innerIndex[e + t]] }
                                out[o] += w * s
                                e += innerTaps
                            }
                        }
                        var d = outer - 1
                        while d >= 0 {
                            ti[d] += 1
                            if ti[d] < tapCount[d] { break }
                            ti[d] = 0
                            d -= 1
                        }
                        if d < 0 { break }
                    }
                    for o in 0..<inner where innerOutside[o] { out[o] = extrapolation }
                }
                out += inner
                var d = outer - 1
                while d >= 0 {
                    oi[d] += 1
                    if oi[d] < outLen[d] { break }
                    oi[d] = 0
                    d -= 1
                }
            }
        }
    }
}
