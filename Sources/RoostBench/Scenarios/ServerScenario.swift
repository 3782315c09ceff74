import Foundation
import RoostCore

/// MLPerf's server scenario on one stream: queries arrive as a seeded Poisson
/// process; a query's latency runs from its arrival (so it includes queueing)
/// to its completion.
struct ServerScenario {
    let spec: BenchmarkSpec

    func run(_ engine: any InferenceEngine, singleRunSeconds: Double) throws -> Harness.Measurement {
        let capacity = singleRunSeconds > 0 ? 1 / singleRunSeconds : 1000
        if spec.findMaxQPS, let bound = spec.p99BoundMs {
            return try searchMaxQPS(engine, capacity: capacity, boundMs: bound)
        }
        let qps = spec.qps ?? capacity * 0.5
        return try runAt(qps: qps, engine, minSeconds: spec.minSeconds, minQueries: spec.minIterations)
    }

    func runAt(qps: Double, _ engine: any InferenceEngine, minSeconds: Double, minQueries: Int) throws -> Harness.Measurement {
        var rng = SplitMix64(seed: spec.seed)
        let clock = ContinuousClock()
        let start = clock.now
        var arrival = 0.0
        var samples: [Double] = []
        var elapsed = 0.0
        repeat {
            // Exponential inter-arrival times: −ln(U)/λ.
            let u = Double(rng.next() >> 11) / Double(1 << 53)
            arrival += -log(max(u, 1e-12)) / qps
            var now = Harness.seconds(clock.now - start)
            if arrival > now { Thread.sleep(forTimeInterval: arrival - now); now = Harness.seconds(clock.now - start) }
            // Queueing (our clock) plus service time (the engine's own clock when it has one).
            let service = try Harness.timed(engine, count: 1)[0]
            samples.append(max(0, now - arrival) * 1000 + service)
            elapsed = Harness.seconds(clock.now - start)
        } while (samples.count < minQueries || elapsed < minSeconds) && elapsed < spec.maxSeconds
            && samples.count < InputLimits.maxSamples(for: spec)
        let metrics = ScenarioMetrics(targetQPS: qps, achievedQPS: Double(samples.count) / elapsed)
        return Harness.Measurement(samplesMs: samples, wallSeconds: elapsed, metrics: metrics)
    }

    /// Bisects the arrival rate between 0 and the engine's capacity; short probe
    /// runs pick the rate, then a full-length run at it is what gets reported.
    func searchMaxQPS(_ engine: any InferenceEngine, capacity: Double, boundMs: Double) throws -> Harness.Measurement {
        var lo = 0.0, hi = capacity
        let probeSeconds = max(0.5, spec.minSeconds / 10)
        for _ in 0..<8 {
            let mid = (lo + hi) / 2
            let m = try runAt(qps: mid, engine, minSeconds: probeSeconds, minQueries: 100)
            let p99 = LatencyStatistics.percentile(m.samplesMs.sorted(), 99)
            if p99 <= boundMs { lo = mid } else { hi = mid }
        }
        let best = max(lo, capacity * 0.01)
        var final = try runAt(qps: best, engine, minSeconds: spec.minSeconds, minQueries: spec.minIterations)
        final.metrics?.maxQPSWithinBound = lo > 0 ? lo : nil
        return final
    }
}
