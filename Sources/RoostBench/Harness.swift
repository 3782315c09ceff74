import Foundation
import RoostCore

/// The measurement loop: warm-up by time and count, then timed single-stream
/// queries until the spec's minimum time and count are both met.
public struct Harness: Sendable {
    public var spec: BenchmarkSpec
    public init(spec: BenchmarkSpec) { self.spec = spec }

    public struct Measurement: Sendable {
        public var samplesMs: [Double]
        public var wallSeconds: Double
    }

    public func measure(_ engine: any InferenceEngine) throws -> Measurement {
        let clock = ContinuousClock()
        let warmStart = clock.now
        var warm = 0
        while warm < spec.warmupIterations || seconds(clock.now - warmStart) < spec.warmupSeconds {
            try engine.runOnce()
            warm += 1
            if seconds(clock.now - warmStart) > spec.maxSeconds { break }
        }
        var samples: [Double] = []
        samples.reserveCapacity(max(spec.minIterations, 1024))
        let start = clock.now
        var elapsed = 0.0
        repeat {
            let t0 = clock.now
            try engine.runOnce()
            samples.append(seconds(clock.now - t0) * 1000)
            elapsed = seconds(clock.now - start)
        } while (samples.count < spec.minIterations || elapsed < spec.minSeconds) && elapsed < spec.maxSeconds
        return Measurement(samplesMs: samples, wallSeconds: elapsed)
    }

    private func seconds(_ d: Duration) -> Double {
        Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
    }
}
