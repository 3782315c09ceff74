import Foundation
import Testing
import RoostCore
@testable import RoostBench

@Suite struct StatisticsTests {
    @Test func earlyStoppingMatchesTheBinomialBound() {
        // Bounding p99 at 99 % confidence needs 1 − 0.99^n ≥ 0.99, i.e. n ≥ 459.
        #expect(EarlyStopping.boundIndex(n: 458, quantile: 0.99) == nil)
        #expect(EarlyStopping.boundIndex(n: 459, quantile: 0.99) == 459)
        // Median of 10 at 99 %: P[Bin(10, .5) ≤ 8] = 0.989, ≤ 9 = 0.999 → the 10th.
        #expect(EarlyStopping.boundIndex(n: 10, quantile: 0.5) == 10)
        #expect(EarlyStopping.boundIndex(n: 5, quantile: 0.5) == nil)
        let sorted = (1...1000).map(Double.init)
        let bound = EarlyStopping.upperBound(sorted: sorted, quantile: 0.9)!
        #expect(bound > LatencyStatistics.percentile(sorted, 90) && bound < 930)
    }

    @Test func bootstrapIntervalIsSeededAndCoversTheMedian() {
        var rng = SplitMix64(seed: 7)
        let samples = (0..<2000).map { _ in 5 + Double(rng.next() % 1000) / 1000 }.sorted()
        let a = Bootstrap.quantileInterval(sorted: samples, p: 50, seed: 1)!
        let b = Bootstrap.quantileInterval(sorted: samples, p: 50, seed: 1)!
        #expect(a == b)
        let median = LatencyStatistics.percentile(samples, 50)
        #expect(a.contains(median))
        #expect(a.high - a.low < 0.1)
        #expect(a.low >= samples.first! && a.high <= samples.last!)
    }

    @Test func analysisFlagsOutliersAndEstimates() throws {
        var samples = Array(repeating: 1.0, count: 300) + Array(repeating: 1.1, count: 300)
        samples += [50, 60]
        let s = try #require(SampleAnalysis.analyze(samplesMs: samples, wallSeconds: 1, seed: 3))
        #expect(s.outliers == 2)
        #expect(s.p99IsEstimate == true)          // 602 samples: only 6 above p99
        #expect(s.p99Bound != nil)                 // but ≥ 459, so it can be bounded
        #expect((s.cv ?? 0) > 0)
        let few = try #require(SampleAnalysis.analyze(samplesMs: Array(repeating: 2, count: 100), wallSeconds: 1, seed: 3))
        #expect(few.p99Bound == nil)
    }

    @Test func cpuTimesSeparateOurTimeFromOthers() throws {
        let stat0 = "cpu  0 0 0 0\ncpu0 100 0 100 800 0 0 0 0 0 0\ncpu1 0 0 0 1000 0 0 0 0 0 0\n"
        let stat1 = "cpu  0 0 0 0\ncpu0 300 0 200 900 0 0 0 0 0 0\ncpu1 0 0 0 1400 0 0 0 0 0 0\n"
        let self0 = "42 (roost worker) R 1 1 1 0 -1 0 0 0 0 0 100 50 0 0 20 0 1 0"
        let self1 = "42 (roost worker) R 1 1 1 0 -1 0 0 0 0 0 250 100 0 0 20 0 1 0"
        let a = try #require(CPUTimes.parse(stat: stat0, selfStat: self0)), b = try #require(CPUTimes.parse(stat: stat1, selfStat: self1))
        #expect(a.processTicks == 150 && b.processTicks == 350)
        // cpu0: 300 busy of 400 total; we used 200 → others 100/400.
        #expect(abs((CPUTimes.otherFraction(from: a, to: b, cpus: [0]) ?? -1) - 0.25) < 1e-12)
    }

    @Test func validityRulesNameEachReason() {
        let spec = BenchmarkSpec(profile: .quick)
        var env = RunEnvironment()
        env.otherCPUFraction = 0.5
        env.frequencyMHz = SensorSummary(start: 3000, end: 2000, min: 2000, max: 3000, samples: 5)
        let stats = LatencyStatistics(samplesMs: [1, 1, 1, 5], wallSeconds: 0.5)
        var withCV = stats!
        withCV.cv = 0.9
        let acc = AccuracyReport(maxAbsError: 1, maxRelError: 1, cosineSimilarity: 0.5, passed: false, referenceSource: "user")
        let v = ValidityRules.evaluate(spec: spec, statistics: withCV, wallSeconds: 0.5, environment: env, accuracy: acc)
        #expect(!v.valid)
        let text = v.reasons.joined(separator: "\n")
        for needle in ["shorter than the quick profile", "frequency dropped", "other processes used 50%", "accuracy"] {
            #expect(text.contains(needle), "missing '\(needle)' in \(text)")
        }
        // The CV is information now: 0.9 alone is no reason.
        #expect(!text.contains("CV"))
        #expect(ValidityRules.evaluate(spec: spec, statistics: LatencyStatistics(samplesMs: Array(repeating: 1, count: 300), wallSeconds: 3), wallSeconds: 3, environment: RunEnvironment(), accuracy: nil).valid)
    }

    @Test func calibrationKeepsTimerOverheadUnderOnePercent() {
        #expect(Harness.iterationsPerSample(singleRunSeconds: 1e-3, timerOverheadSeconds: 5e-8) == 1)
        // A 2 µs model with 50 ns clock reads needs ≥ 3 inferences per sample.
        #expect(Harness.iterationsPerSample(singleRunSeconds: 2e-6, timerOverheadSeconds: 5e-8) == 3)
        #expect(Harness.timerOverheadSeconds() < 1e-5)
    }
}
