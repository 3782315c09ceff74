import Foundation
import RoostCore

/// The measurement rules every agent applies: warm-up by time and count, then
/// the scenario's timed phase. Engines are driven only through `InferenceEngine`.
public struct Harness: Sendable {
    public var spec: BenchmarkSpec
    public init(spec: BenchmarkSpec) { self.spec = spec }

    public struct Measurement: Sendable {
        /// Per-query latencies (ms); a query is `iterationsPerSample` inferences averaged.
        public var samplesMs: [Double]
        public var wallSeconds: Double
        public var iterationsPerSample: Int = 1
        public var metrics: ScenarioMetrics?
    }

    public func measure(_ engine: any InferenceEngine) throws -> Measurement {
        let single = try warmUp(engine)
        switch spec.scenario {
        case .singleStream, .coldStart: return try singleStream(engine, singleRunSeconds: single)
        case .offline: return try offline(engine)
        case .server: return try ServerScenario(spec: spec).run(engine, singleRunSeconds: single)
        }
    }

    /// Runs the warm-up and returns the median single-inference time in seconds.
    func warmUp(_ engine: any InferenceEngine) throws -> Double {
        let clock = ContinuousClock()
        let start = clock.now
        var times: [Double] = []
        while times.count < spec.warmupIterations || Self.seconds(clock.now - start) < spec.warmupSeconds {
            times += try Self.timed(engine, count: 1).map { $0 / 1000 }
            if Self.seconds(clock.now - start) > spec.maxSeconds { break }
        }
        times.sort()
        return times.isEmpty ? 0 : times[times.count / 2]
    }

    /// Latencies (ms) of `count` inferences: from the engine when it times itself
    /// (another process), else measured here around each `runOnce()`.
    static func timed(_ engine: any InferenceEngine, count: Int) throws -> [Double] {
        if let own = try engine.timedRuns(count: count) { return own }
        let clock = ContinuousClock()
        return try (0..<count).map { _ in
            let t0 = clock.now
            try engine.runOnce()
            return seconds(clock.now - t0) * 1000
        }
    }

    /// Inferences per timed sample so the clock's own cost stays under 1 % of it.
    public static func iterationsPerSample(singleRunSeconds: Double, timerOverheadSeconds: Double) -> Int {
        guard singleRunSeconds > 0 else { return 1 }
        return max(1, Int((100 * timerOverheadSeconds / singleRunSeconds).rounded(.up)))
    }

    /// Cost of one pair of clock reads, measured here and now.
    public static func timerOverheadSeconds() -> Double {
        let clock = ContinuousClock()
        let n = 2000
        let start = clock.now
        for _ in 0..<n { _ = clock.now }
        return seconds(clock.now - start) / Double(n) * 2
    }

    /// A result carries at most this many samples (the scheduler refuses more):
    /// the timed phase ends there even if its minimum time has not passed.
    var maxSamples: Int { InputLimits.maxSamples(for: spec) }

    func singleStream(_ engine: any InferenceEngine, singleRunSeconds: Double) throws -> Measurement {
        if try engine.timedRuns(count: 1) != nil { return try selfTimedSingleStream(engine, singleRunSeconds: singleRunSeconds) }
        let k = Self.iterationsPerSample(singleRunSeconds: singleRunSeconds, timerOverheadSeconds: Self.timerOverheadSeconds())
        let clock = ContinuousClock()
        var samples: [Double] = []
        samples.reserveCapacity(max(spec.minIterations, 1024))
        let start = clock.now
        var elapsed = 0.0
        repeat {
            let t0 = clock.now
            for _ in 0..<k { try engine.runOnce() }
            samples.append(Self.seconds(clock.now - t0) * 1000 / Double(k))
            elapsed = Self.seconds(clock.now - start)
        } while (samples.count < spec.minIterations || elapsed < spec.minSeconds) && elapsed < spec.maxSeconds && samples.count < maxSamples
        return Measurement(samplesMs: samples, wallSeconds: elapsed, iterationsPerSample: k)
    }

    /// Single stream for engines that time themselves: chunks of queries sized to
    /// about 0.1 s, every query's own latency kept.
    func selfTimedSingleStream(_ engine: any InferenceEngine, singleRunSeconds: Double) throws -> Measurement {
        let chunk = max(1, min(1000, Int(0.1 / max(singleRunSeconds, 1e-6))))
        let clock = ContinuousClock()
        var samples: [Double] = []
        let start = clock.now
        var elapsed = 0.0
        repeat {
            samples += try Self.timed(engine, count: chunk)
            elapsed = Self.seconds(clock.now - start)
        } while (samples.count < spec.minIterations || elapsed < spec.minSeconds) && elapsed < spec.maxSeconds && samples.count < maxSamples
        if samples.count > maxSamples { samples.removeLast(samples.count - maxSamples) }
        return Measurement(samplesMs: samples, wallSeconds: elapsed)
    }

    func offline(_ engine: any InferenceEngine) throws -> Measurement {
        let clock = ContinuousClock()
        var samples: [Double] = []
        let start = clock.now
        var elapsed = 0.0
        repeat {
            samples.append(try Self.timed(engine, count: spec.batch).reduce(0, +))
            elapsed = Self.seconds(clock.now - start)
        } while (samples.count < spec.minIterations || elapsed < spec.minSeconds) && elapsed < spec.maxSeconds && samples.count < maxSamples
        let metrics = ScenarioMetrics(samplesPerSecond: Double(samples.count * spec.batch) / elapsed, batch: spec.batch)
        return Measurement(samplesMs: samples, wallSeconds: elapsed, metrics: metrics)
    }

    static func seconds(_ d: Duration) -> Double {
        Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
    }
}
