import RoostCore

/// LayerNormalization over rows of n elements: y = (x − mean)·invStd·scale + bias,
/// optionally writing Mean and InvStdDev. Scale/bias smaller than a row (broadcast)
/// are expanded once into owned scratch at load time when they are weights, or per
/// run when computed. Rows are split over the session's threads.
final class LayerNormKernel: Kernel {
    let x: UnsafeMutablePointer<Float>, y: UnsafeMutablePointer<Float>
    let scale: UnsafeMutablePointer<Float>, bias: UnsafeMutablePointer<Float>?
    let mean: UnsafeMutablePointer<Float>?, invStd: UnsafeMutablePointer<Float>?
    let outer: Int, n: Int, epsilon: Float
    private let expansions: [(source: UnsafeMutablePointer<Float>, table: KernelScratch<Int>, target: KernelScratch<Float>)]
    /// Rows split over the session's threads (rows are independent: any thread count gives the same bits).
    let partition: ChannelPartition

    init(_ step: PlanStep, _ ops: KernelOperands) throws {
        x = try ops.input(0, step)
        y = try ops.output(0, step)
        outer = try step.requiredInt("outer")
        let n = try step.requiredInt("n")
        self.n = n
        epsilon = step.float("epsilon") ?? 1e-5
        guard outer * n == ops.inputCount(0), ops.outputCount(0) == outer * n else {
            throw RoostError.invalidArtifact("layernorm \(step.origin): layout does not match its operands")
        }
        let normalized = Self.suffix(ops.inputShapes[0], count: n)
        var expansions: [(UnsafeMutablePointer<Float>, KernelScratch<Int>, KernelScratch<Float>)] = []
        func parameter(_ i: Int) throws -> UnsafeMutablePointer<Float>? {
            guard let p = ops.optionalInput(i) else { return nil }
            if ops.inputCount(i) == n { return p }
            let layout = try BroadcastLayout(output: normalized, operands: [ops.inputShapes[i]], origin: step.origin)
            let table = KernelScratch(Self.offsets(layout, operand: 1, count: n))
            let target = KernelScratch(repeating: Float(0), count: n)
            expansions.append((p, table, target))
            return target.pointer
        }
        guard let s = try parameter(1) else { throw RoostError.invalidArtifact("layernorm \(step.origin) lacks Scale") }
        scale = s
        bias = try parameter(2)
        self.expansions = expansions
        var next = 1
        mean = step.attributes["hasMean"]?.int == 1 ? try ops.output(next, step) : nil
        if mean != nil { next += 1 }
        invStd = step.attributes["hasInvStdDev"]?.int == 1 ? try ops.output(next, step) : nil
        partition = ChannelPartition(count: outer, context: ops.context, work: ChannelPartition.work(outer, 4 * n))
    }

    /// The trailing dims of `shape` that hold `count` elements (the normalized block).
    private static func suffix(_ shape: [Int], count: Int) -> [Int] {
        var dims: [Int] = []
        var product = 1
        for d in shape.reversed() where product < count {
            dims.insert(d, at: 0)
            product *= d
        }
        return dims.isEmpty ? [count] : dims
    }

    /// Each element's offset in a broadcast operand, in row-major order of the output.
    static func offsets(_ layout: BroadcastLayout, operand: Int, count: Int) -> [Int] {
        var result: [Int] = []
        result.reserveCapacity(count)
        let walker = RowWalker(layout)
        let s = layout.innerStride(operand)
        walker.walk { off in
            for i in 0..<layout.inner { result.append(off[operand] + i * s) }
        }
        return result
    }

    func run() {
        for e in expansions {
            for i in 0..<n { e.target.pointer[i] = e.source[e.table.pointer[i]] }
        }
        partition.run { _, rows in normalize(rows) }
    }

    private func normalize(_ rows: Range<Int>) {
        let inv = 1 / Float(n)
        for r in rows {
            let xr = x + r * n, yr = y + r * n
            let mu = VectorMath.sum(xr, n) * inv
            let sq = VectorMath.sumOfSquaredDeviations(xr, n, mean: mu)
            let rstd = 1 / (sq * inv + epsilon).squareRoot()
            if let bias {
                for i in 0..<n { yr[i] = (xr[i] - mu) * rstd * scale[i] + bias[i] }
            } else {
                for i in 0..<n { yr[i] = (xr[i] - mu) * rstd * scale[i] }
            }
            mean?[r] = mu
            invStd?[r] = rstd
        }
    }
}
