import CRoostKernels
import Foundation
import RoostCore

/// Softmax (or LogSoftmax) over the middle axis of [outer, n, inner]. The usual
/// last-axis case (inner = 1) runs max, exp-and-sum and scale as contiguous loops;
/// the outer rows are split over the session's threads.
struct SoftmaxKernel: Kernel {
    let x: UnsafeMutablePointer<Float>, y: UnsafeMutablePointer<Float>
    let outer: Int, n: Int, inner: Int
    let log: Bool
    /// Rows (outer × inner) split over the session's threads; each row is computed whole by one.
    let partition: ChannelPartition
    /// Contiguous rows on the AVX2 routine (step attribute `simd` `avx2`).
    let avx2: Bool

    init(_ step: PlanStep, _ ops: KernelOperands) throws {
        x = try ops.input(0, step)
        y = try ops.output(0, step)
        outer = try step.requiredInt("outer")
        n = try step.requiredInt("n")
        inner = try step.requiredInt("inner")
        log = step.attributes["log"]?.int == 1
        guard outer * n * inner == ops.inputCount(0), ops.outputCount(0) == ops.inputCount(0) else {
            throw RoostError.invalidArtifact("softmax \(step.origin): layout does not match its operands")
        }
        partition = ChannelPartition(count: outer, context: ops.context, work: ChannelPartition.work(outer * inner, 8 * n))
        switch step.attributes["simd"]?.string {
        case nil: avx2 = false
        case "avx2":
            guard roost_isa_supported(ROOST_ISA_AVX2) != 0 else {
                throw RoostError.invalidArtifact("softmax \(step.origin): compiled for AVX2 + FMA, which this CPU lacks; compile for this machine's target")
            }
            avx2 = true
        case let other?: throw RoostError.invalidArtifact("softmax \(step.origin): SIMD family '\(other)' is unknown to this runtime")
        }
    }

    func run() {
        partition.run { _, rows in
            if inner == 1, avx2 {
                for o in rows { roost_softmax_row_avx2(x + o * n, y + o * n, n, log ? 1 : 0) }
                return
            }
            if inner == 1 {
                for o in rows { Self.contiguousRow(x + o * n, y + o * n, n, log) }
                return
            }
            for o in rows {
                for j in 0..<inner {
                    let xr = x + o * n * inner + j, yr = y + o * n * inner + j
                    Self.stridedRow(xr, yr, n, inner, log)
                }
            }
        }
    }

    /// The last-axis case: vectorized max, exp and sum.
    @inline(__always)
    static func contiguousRow(_ x: UnsafeMutablePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ n: Int, _ log: Bool) {
        guard n > 0 else { return }
        let m = VectorMath.max(x, n)
        for i in 0..<n { y[i] = FastMath.exp(x[i] - m) }
        let sum = VectorMath.sum(y, n)
        if log {
            let shift = m + logf(sum)
            for i in 0..<n { y[i] = x[i] - shift }
        } else {
            let s = 1 / sum
            for i in 0..<n { y[i] *= s }
        }
    }

    @inline(__always)
    static func stridedRow(_ x: UnsafeMutablePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ n: Int, _ stride: Int, _ log: Bool) {
        guard n > 0 else { return }
        var m = -Float.infinity
        for i in 0..<n { m = max(m, x[i * stride]) }
        var sum: Float = 0
        for i in 0..<n {
            let e = FastMath.exp(x[i * stride] - m)
            y[i * stride] = e
            sum += e
        }
        if log {
            let shift = m + logf(sum)
            for i in 0..<n { y[i * stride] = x[i * stride] - shift }
        } else {
            let s = 1 / sum
            for i in 0..<n { y[i * stride] *= s }
        }
    }
}
