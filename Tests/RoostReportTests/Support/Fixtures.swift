import Foundation
import RoostCore
@testable import RoostReport

/// Stored results built from seeded samples, so every test sees the same
/// numbers on every machine and can assert real values.
enum Fixtures {
    static let model = ModelInfo(sha256: String(repeating: "ab", count: 32), name: "resnet-tiny", bytes: 12_345)
    static let t0 = Date(timeIntervalSince1970: 1_780_000_000)

    static func hardware(cpu: String = "Test CPU 9000", cpus: Int = 2) -> HardwareProfile {
        HardwareProfile(arch: "x86_64", cpuModel: cpu, isaFeatures: ["avx2", "fma"], logicalCPUs: cpus,
                        usableCPUIDs: Array(0..<cpus), memoryBytes: 8 << 30)
    }

    /// Log-normal latencies around `median` ms: exp(σ·N(0,1)) keeps them positive and right-skewed, like real ones.
    static func samples(median: Double, sigma: Double = 0.05, count: Int = 400, seed: UInt64) -> [Double] {
        var rng = SplitMix64(seed: seed)
        func uniform() -> Double { (Double(rng.next() >> 11) + 0.5) * 0x1p-53 }
        return (0..<count).map { _ in
            let z = (-2 * log(uniform())).squareRoot() * cos(2 * Double.pi * uniform())
            return median * exp(sigma * z)
        }
    }

    static func row(
        agent: String, engine: String = "native", threads: Int = 2, batch: Int = 1, scenario: Scenario = .singleStream,
        median: Double, sigma: Double = 0.05, count: Int = 400, seed: UInt64, price: Double? = nil, state: String = "active",
        invalidReasons: [String] = [], peakMB: Double? = 100, benchmarkID: String = "bench-2", finishedAt: Date = t0,
        samplesPerSecond: Double? = nil, loadMs: Double? = nil, firstInferenceMs: Double? = nil, artifactLoadMs: Double? = nil,
        maxAbsError: Double? = 1e-6, tags: [String: String] = [:], hardware: HardwareProfile = hardware(), tries: Int? = nil
    ) -> ReportRow {
        let samples = samples(median: median, sigma: sigma, count: count, seed: seed)
        // Wall time = sum of latencies: one stream, no gaps, so throughput = 1000 / mean.
        var stats = LatencyStatistics(samplesMs: samples, wallSeconds: samples.reduce(0, +) / 1000)!
        stats.p50CI = ConfidenceInterval(low: stats.p50 * 0.99, high: stats.p50 * 1.01)
        stats.p99CI = ConfidenceInterval(low: stats.p99 * 0.97, high: stats.p99 * 1.03)
        stats.cv = stats.stddev / stats.mean
        var target = TargetSpec(hardware: hardware, engine: engine)
        target.threads = threads
        var env = RunEnvironment(engine: engine, blasCore: "Haswell", blasThreads: threads, artifactLoadMs: artifactLoadMs,
                                 peakRSSBytes: peakMB.map { Int($0 * 1_048_576) })
        env.arenaBytes = 1 << 20
        let metrics = samplesPerSecond != nil || loadMs != nil || firstInferenceMs != nil || batch != 1
            ? ScenarioMetrics(samplesPerSecond: samplesPerSecond, batch: batch, loadMs: loadMs, firstInferenceMs: firstInferenceMs) : nil
        var result = BenchmarkResult(
            status: .succeeded, statistics: stats, samplesMs: samples, environment: env, scenario: scenario,
            validity: Validity(reasons: invalidReasons),
            accuracy: maxAbsError.map { AccuracyReport(maxAbsError: $0, maxRelError: $0 * 10, cosineSimilarity: 1, passed: true, referenceSource: "scheduler") },
            scenarioMetrics: metrics)
        if let tries {
            // The earlier tries were spoiled by outside load; the last is the one reported.
            let reported = result
            var spoiled = result
            spoiled.validity = Validity(reasons: ["other processes used 35% of the benchmark CPUs (limit 10%)"], causes: [.outsideLoad])
            result.tries = RunTries(reported: tries, tries: (1...tries).map { BenchmarkTry(number: $0, result: $0 == tries ? reported : spoiled) })
        }
        let info = AgentInfo(agentID: "id-\(agent)", name: agent, state: state, tags: tags, hardware: hardware, target: target,
                             pricePerHour: price, lastHeartbeat: finishedAt)
        return ReportRow(benchmarkID: benchmarkID, jobID: "job-\(agent)-\(engine)-\(threads)-\(batch)-\(seed)", agent: info, target: target,
                         result: result, finishedAt: finishedAt)
    }

    static func data(_ rows: [ReportRow], baseline: [ReportRow] = [], model: ModelInfo = model) -> ReportData {
        ReportData(model: model, rows: rows, baseline: baseline)
    }

    static func report(_ rows: [ReportRow], baseline: [ReportRow] = [], options: ReportOptions = ReportOptions(),
                       model: ModelInfo = model) -> ModelReport {
        ReportBuilder.build(data: data(rows, baseline: baseline, model: model), options: options, generatedAt: t0)
    }

    /// Three healthy, priced agents and one of each kind of trouble: a realistic mixed farm.
    static func farm() -> [ReportRow] {
        [
            row(agent: "epyc", median: 2.0, seed: 1, price: 0.40, peakMB: 180),
            row(agent: "graviton", median: 3.0, seed: 2, price: 0.20, peakMB: 150),
            row(agent: "pi5", median: 12.0, seed: 3, price: 0.01, peakMB: 90),
            row(agent: "noisy", median: 1.0, seed: 4, price: 0.50, invalidReasons: ["other processes used 40% of the benchmark CPUs (limit 10%)"]),
            row(agent: "sick", median: 1.5, seed: 5, price: 0.30, state: "quarantined"),
        ]
    }
}
