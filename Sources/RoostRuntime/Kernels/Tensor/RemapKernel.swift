import RoostCore

/// The shared data-movement kernel: output element (i0, …, in) copies input element
/// tables[0][i0] + … + tables[n][in], or `padValue` where a table holds -1
/// (Transpose, Slice, Expand, Tile, Pad, Gather with constant indices). Innermost
/// runs that are contiguous in the input become memcpy.
final class RemapKernel: Kernel {
    let x: UnsafeMutablePointer<Float>, y: UnsafeMutablePointer<Float>
    let dims: KernelScratch<Int>
    /// Start of each dim's table inside `offsets`.
    let starts: KernelScratch<Int>
    let offsets: KernelScratch<Int>
    let index: KernelScratch<Int>
    let rank: Int, inner: Int, rows: Int
    let contiguous: Bool, innerHasPad: Bool
    let padValue: Float

    init(_ step: PlanStep, _ ops: KernelOperands) throws {
        x = try ops.input(0, step)
        y = try ops.output(0, step)
        let dims = try step.requiredInts("dims"), table = try step.requiredInts("offsets")
        padValue = step.float("padValue") ?? 0
        guard !dims.isEmpty, dims.allSatisfy({ $0 >= 0 }), table.count == dims.reduce(0, +), dims.reduce(1, *) == ops.outputCount(0) else {
            throw RoostError.invalidArtifact("remap \(step.origin): tables do not match the output shape \(ops.outputShapes[0])")
        }
        // Every reachable sum of table entries must stay inside the input.
        var maxOffset = 0, at = 0
        var starts: [Int] = []
        for d in dims {
            starts.append(at)
            maxOffset += table[at..<(at + d)].max() ?? 0
            at += d
        }
        guard table.allSatisfy({ $0 >= -1 }), dims.contains(0) || maxOffset < max(ops.inputCount(0), 1) else {
            throw RoostError.invalidArtifact("remap \(step.origin): offsets reach beyond the input")
        }
        rank = dims.count
        inner = dims[rank - 1]
        rows = dims.dropLast().reduce(1, *)
        let last = table[(at - inner)...]
        innerHasPad = last.contains(-1)
        let first = last.first ?? 0
        contiguous = !innerHasPad && last.enumerated().allSatisfy { $0.element == first + $0.offset }
        self.dims = KernelScratch(dims)
        self.starts = KernelScratch(starts)
        offsets = KernelScratch(table)
        index = KernelScratch(repeating: 0, count: rank)
    }

    func run() {
        guard inner > 0 else { return }
        let idx = index.pointer, dim = dims.pointer, start = starts.pointer, t = offsets.pointer
        let innerTable = t + start[rank - 1]
        idx.update(repeating: 0, count: rank)
        var out = y
        for _ in 0..<rows {
            var base = 0, pad = false
            for d in 0..<(rank - 1) {
                let v = t[start[d] + idx[d]]
                if v < 0 { pad = true }
                base += v
            }
            if pad {
                out.update(repeating: padValue, count: inner)
            } else if contiguous {
                out.update(from: x + base + innerTable[0], count: inner)
            } else if innerHasPad {
                for i in 0..<inner { let o = innerTable[i]; out[i] = o < 0 ? padValue : x[base + o] }
            } else {
                let src = x + base
                for i in 0..<inner { out[i] = src[innerTable[i]] }
            }
            out += inner
            var d = rank - 2
            while d >= 0 {
                idx[d] += 1
                if idx[d] < dim[d] { break }
                idx[d] = 0
                d -= 1
            }
        }
    }
}
