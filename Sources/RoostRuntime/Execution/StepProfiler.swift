import Foundation
import RoostCore

/// The time one plan step takes, measured inside a running session.
public struct StepTiming: Sendable, Codable, Equatable {
    /// Index in the plan (`roost inspect` numbers steps the same way).
    public var index: Int
    public var kernel: String
    /// The ONNX node(s) the step came from.
    public var origin: String
    public var outputShape: [Int]
    /// The compiler's kernel choices for the step (`gemm`, `convKernel`, `simd`, layouts, …).
    public var choices: [String: String]
    /// Matrix-product FLOP of the step (0 for elementwise steps), as `PlanCost` counts them.
    public var flops: Int
    /// Median and minimum over the timed passes, in microseconds.
    public var medianMicroseconds: Double
    public var minMicroseconds: Double

    /// Achieved GFLOP/s at the median; nil for steps without matrix work.
    public var gflopsPerSecond: Double? { flops > 0 && medianMicroseconds > 0 ? Double(flops) / medianMicroseconds / 1000 : nil }
}

/// A per-step profile of a session: where an inference's time goes, step by step.
public struct StepProfile: Sendable, Codable, Equatable {
    public var threads: Int
    public var passes: Int
    public var steps: [StepTiming]
    /// Median wall time of a whole pass with the per-step clocks in it (µs).
    public var passMedianMicroseconds: Double
    /// Sum of the step medians (µs): the pass minus it is what the clocks and dispatch cost.
    public var stepSumMicroseconds: Double { steps.reduce(0) { $0 + $1.medianMicroseconds } }
}

/// Times every step of a session over repeated passes. The clocks sit between
/// steps, so a step's time includes its own thread fork-join but not its
/// neighbours'; the whole-pass median shows what the clocks add.
public enum StepProfiler {
    /// Choice attributes worth showing beside a step's time.
    static let choiceKeys = ["algorithm", "convKernel", "gemm", "packedWeights", "simd",
                             TensorLayout.inputAttribute, TensorLayout.outputAttribute, "activation"]

    public static func profile(_ session: InferenceSession, warmup: Int = 5, passes: Int = 50) -> StepProfile {
        let passes = max(1, passes)
        for _ in 0..<max(0, warmup) { session.execute() }
        let count = session.stepCount
        var samples = [[UInt64]](repeating: [UInt64](repeating: 0, count: passes), count: count)
        var whole = [UInt64](repeating: 0, count: passes)
        var marks = [UInt64](repeating: 0, count: count + 1)
        for pass in 0..<passes {
            marks.withUnsafeMutableBufferPointer { m in
                m[0] = monotonicNanoseconds()
                for i in 0..<count {
                    session.executeStep(i)
                    m[i + 1] = monotonicNanoseconds()
                }
            }
            for i in 0..<count { samples[i][pass] = marks[i + 1] - marks[i] }
            whole[pass] = marks[count] - marks[0]
        }
        let plan = session.artifact.plan
        let steps = plan.steps.enumerated().map { i, step in
            let sorted = samples[i].sorted()
            return StepTiming(
                index: i, kernel: step.kernel, origin: step.origin,
                outputShape: step.outputs.first.flatMap { $0 >= 0 && $0 < plan.values.count ? plan.values[$0].shape : nil } ?? [],
                choices: Dictionary(uniqueKeysWithValues: choiceKeys.compactMap { k in step.attributes[k]?.string.map { (k, $0) } }),
                flops: PlanCost.flops(of: step, plan),
                medianMicroseconds: median(sorted) / 1000, minMicroseconds: Double(sorted[0]) / 1000)
        }
        return StepProfile(threads: session.context.threads, passes: passes, steps: steps,
                           passMedianMicroseconds: median(whole.sorted()) / 1000)
    }

    private static func median(_ sorted: [UInt64]) -> Double {
        let n = sorted.count
        return n % 2 == 1 ? Double(sorted[n / 2]) : (Double(sorted[n / 2 - 1]) + Double(sorted[n / 2])) / 2
    }

    @inline(__always)
    private static func monotonicNanoseconds() -> UInt64 {
        var t = timespec()
        clock_gettime(CLOCK_MONOTONIC, &t)
        return UInt64(t.tv_sec) * 1_000_000_000 + UInt64(t.tv_nsec)
    }
}
