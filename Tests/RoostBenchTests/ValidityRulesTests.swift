import Foundation
import Testing
import RoostCore
@testable import RoostBench

/// Each validity rule on sample sets shaped like recorded runs: the verdict,
/// and a reason that names the measured figure and the threshold.
@Suite struct ValidityRulesTests {
    /// Seeded latencies around `median` ms with a small spread, like a quiet
    /// single-stream run of a small model (log-normal, σ = `sigma`).
    static func quiet(median: Double, count: Int, sigma: Double = 0.02, seed: UInt64) -> [Double] {
        var rng = SplitMix64(seed: seed)
        func uniform() -> Double { (Double(rng.next() >> 11) + 0.5) * 0x1p-53 }
        return (0..<count).map { _ in
            let z = (-2 * log(uniform())).squareRoot() * cos(2 * Double.pi * uniform())
            return median * exp(sigma * z)
        }
    }

    static func verdict(_ samples: [Double], spec: BenchmarkSpec = BenchmarkSpec(profile: .quick), environment: RunEnvironment = RunEnvironment())
        -> (stats: LatencyStatistics, validity: Validity) {
        let wall = max(spec.profile.minSeconds, samples.reduce(0, +) / 1000)
        let stats = SampleAnalysis.analyze(samplesMs: samples, wallSeconds: wall, seed: 42)!
        return (stats, ValidityRules.evaluate(spec: spec, statistics: stats, wallSeconds: wall, environment: environment, accuracy: nil))
    }

    /// The case: a handful of preemption spikes (0.4 % of queries, 5–40×
    /// the median) give a CV far above the old 0.25 limit, yet p50 and p99 are
    /// pinned down: VALID, with the outliers counted.
    @Test func spikyButStableRunIsValid() {
        var samples = Self.quiet(median: 1.0, count: 2500, seed: 1)
        var rng = SplitMix64(seed: 9)
        for i in stride(from: 137, to: samples.count, by: 250) { samples[i] = 5 + Double(rng.next() % 35) }
        let (s, v) = Self.verdict(samples)
        #expect((s.cv ?? 0) > 0.5, "the CV the old rule rejected: \(s.cv ?? 0)")
        #expect(v.valid, "\(v.reasons)")
        #expect(s.outliers == 10)
        #expect(abs((s.outlierShare ?? 0) - 0.004) < 1e-9)
        #expect((s.outlierP99Shift ?? 1) < 0.05)
        #expect((s.dispersion ?? 1) < 0.1)
    }

    /// Two populations of queries (a cache that is warm half the time, two core
    /// types): no single latency describes it, so the median's interval is wide
    /// and so is the spread.
    @Test func bimodalRunIsInvalid() {
        let fast = Self.quiet(median: 1.0, count: 1200, seed: 2), slow = Self.quiet(median: 1.8, count: 1200, seed: 3)
        var rng = SplitMix64(seed: 4)
        var samples: [Double] = []
        var i = 0, j = 0
        while i < fast.count || j < slow.count {
            if j >= slow.count || (i < fast.count && rng.next() % 2 == 0) { samples.append(fast[i]); i += 1 } else { samples.append(slow[j]); j += 1 }
        }
        let (s, v) = Self.verdict(samples)
        #expect(!v.valid)
        #expect(v.reasons.contains { $0.hasPrefix("p50 interval ±") && $0.hasSuffix("> ±5 %") }, "\(v.reasons)")
        #expect(v.reasons.contains { $0.hasPrefix("spread (p90 − p10) / p50 ") && $0.hasSuffix("> 0.50") }, "\(v.reasons)")
        #expect((s.dispersion ?? 0) > 0.5)
        #expect(v.causes?.allSatisfy { $0 == .stability } == true)
        #expect(v.isRerunnable)
    }

    /// A machine slowing down under the run (heat, a neighbour ramping up): the
    /// pooled intervals stay narrow, the median of the last third does not.
    @Test func driftingRunIsInvalid() throws {
        let base = Self.quiet(median: 1.0, count: 2400, sigma: 0.01, seed: 5)
        let samples = base.enumerated().map { i, x in x * (1 + 0.3 * Double(i) / Double(base.count)) }
        let (s, v) = Self.verdict(samples)
        #expect(!v.valid)
        let drift = try #require(s.drift)
        #expect(drift > 0.15 && drift < 0.25)
        #expect(v.reasons.contains { $0.hasPrefix("p50 drifted +") && $0.hasSuffix("(limit ±10 %)") }, "\(v.reasons)")
        // Only the drift rule sees it.
        #expect(v.reasons.count == 1, "\(v.reasons)")
    }

    /// Outliers frequent enough to set p99 (3 % of queries) make it INVALID; the
    /// reason gives their share and how far they move p99.
    @Test func outliersThatSetP99MakeItInvalid() {
        var samples = Self.quiet(median: 1.0, count: 3000, seed: 6)
        for i in stride(from: 11, to: samples.count, by: 33) { samples[i] = 4 }
        let (s, v) = Self.verdict(samples)
        #expect(!v.valid)
        #expect((s.outlierShare ?? 0) > 0.02)
        #expect(v.reasons.contains { $0.hasPrefix("outliers (") && $0.contains("% of queries) move p99 by +") && $0.hasSuffix("> +25 %") }, "\(v.reasons)")
    }

    /// A p99 with enough queries above it whose interval is wide: named with its width.
    @Test func wideP99IntervalIsNamed() throws {
        // 1.2 % of queries in a long, smeared tail: p99 sits inside it.
        var samples = Self.quiet(median: 1.0, count: 5000, seed: 7)
        var rng = SplitMix64(seed: 8)
        for i in stride(from: 3, to: samples.count, by: 80) { samples[i] = 1.2 + Double(rng.next() % 1000) / 250 }
        let (s, v) = Self.verdict(samples)
        let ci = try #require(s.p99CI)
        let width = (ci.high - ci.low) / 2 / s.p99
        #expect(width > 0.25)
        #expect(v.reasons.contains { $0.hasPrefix("p99 interval ±") && $0.hasSuffix("> ±25 %") }, "\(v.reasons)")
    }

    /// The profile sets the thresholds: a spread that passes quick fails rigorous.
    @Test func thresholdsComeFromTheProfile() {
        let samples = Self.quiet(median: 1.0, count: 3000, sigma: 0.14, seed: 10)
        let quick = Self.verdict(samples, spec: BenchmarkSpec(profile: .quick, minSeconds: 0.1, minIterations: 100))
        let rigorous = Self.verdict(samples, spec: BenchmarkSpec(profile: .rigorous, minSeconds: 0.1, minIterations: 100))
        #expect(!quick.validity.reasons.contains { $0.hasPrefix("spread") }, "\(quick.validity.reasons)")
        #expect(rigorous.validity.reasons.contains { $0.hasPrefix("spread") && $0.hasSuffix("> 0.30") }, "\(rigorous.validity.reasons)")
        #expect(BenchmarkSpec(profile: .standard).maxP50Interval == 0.02)
        #expect(BenchmarkSpec(profile: .quick, maxDispersion: 0.9).maxDispersion == 0.9)
    }

    /// Environment reasons carry their figures and limits and are rerunnable;
    /// accuracy and length never are.
    @Test func causesDecideWhatMayBeRerun() {
        let samples = Self.quiet(median: 1.0, count: 2500, seed: 11)
        var env = RunEnvironment()
        env.otherCPUFraction = 0.45
        env.frequencyMHz = SensorSummary(start: 3000, end: 2400, min: 2400, max: 3000, samples: 20)
        let loaded = Self.verdict(samples, environment: env).validity
        #expect(loaded.reasons.contains("other processes used 45% of the benchmark CPUs (limit 10%)"), "\(loaded.reasons)")
        #expect(loaded.reasons.contains("CPU frequency dropped during the run (3000 → 2400 MHz, −20 % > −10 %)"), "\(loaded.reasons)")
        #expect(Set(loaded.causes ?? []) == [.outsideLoad, .frequency])
        #expect(loaded.isRerunnable)

        let spec = BenchmarkSpec(profile: .quick)
        let stats = SampleAnalysis.analyze(samplesMs: samples, wallSeconds: 3, seed: 1)
        let wrong = AccuracyReport(maxAbsError: 1, maxRelError: 1, cosineSimilarity: 0.5, passed: false, referenceSource: "user")
        let inaccurate = ValidityRules.evaluate(spec: spec, statistics: stats, wallSeconds: 3, environment: env, accuracy: wrong)
        #expect(inaccurate.causes?.contains(.accuracy) == true)
        #expect(!inaccurate.isRerunnable)
        let short = ValidityRules.evaluate(spec: spec, statistics: stats, wallSeconds: 0.5, environment: RunEnvironment(), accuracy: nil)
        #expect(short.causes == [.length])
        #expect(!short.isRerunnable)
        #expect(!Validity(reasons: ["from an old harness"]).isRerunnable)
    }

    /// A model so fast that the harness stops at the profile's sample cap
    /// before its minimum time has measured all the protocol keeps: not short.
    /// One sample fewer than the cap, in the same time, is.
    @Test func aRunStoppedAtTheSampleCapIsNotShort() throws {
        let spec = BenchmarkSpec(profile: .quick)
        let cap = InputLimits.maxSamples(for: spec)
        let samples = Self.quiet(median: 0.008, count: cap, seed: 21)
        let wall = 1.8
        #expect(wall < spec.profile.minSeconds)
        // The plain statistics, without the bootstrap: only the length rule is under test here.
        let full = try #require(LatencyStatistics(samplesMs: samples, wallSeconds: wall))
        let atCap = ValidityRules.evaluate(spec: spec, statistics: full, wallSeconds: wall, environment: RunEnvironment(), accuracy: nil)
        #expect(!(atCap.causes ?? []).contains(.length), "\(atCap.reasons)")
        let fewer = try #require(LatencyStatistics(samplesMs: Array(samples.dropLast()), wallSeconds: wall))
        let short = ValidityRules.evaluate(spec: spec, statistics: fewer, wallSeconds: wall, environment: RunEnvironment(), accuracy: nil)
        #expect((short.causes ?? []).contains(.length), "\(short.reasons)")
    }

    @Test func percentagesReadNaturally() {
        #expect(ValidityRules.percent(0.05) == "5 %")
        #expect(ValidityRules.percent(0.14) == "14 %")
        #expect(ValidityRules.percent(0.0123) == "1.2 %")
        #expect(ValidityRules.signed(-0.2) == "−20 %")
    }
}
