import Testing
@testable import RoostCore

@Suite struct LatencyStatisticsTests {
    @Test func percentilesInterpolateLikeNumPy() throws {
        // numpy.percentile([1..10], [50, 90, 99]) == [5.5, 9.1, 9.91]
        let samples = (1...10).map(Double.init).shuffled()
        let s = try #require(LatencyStatistics(samplesMs: samples, wallSeconds: 2))
        #expect(abs(s.p50 - 5.5) < 1e-12)
        #expect(abs(s.p90 - 9.1) < 1e-12)
        #expect(abs(s.p99 - 9.91) < 1e-12)
        #expect(s.min == 1 && s.max == 10 && s.count == 10)
        #expect(abs(s.mean - 5.5) < 1e-12)
        // Sample standard deviation of 1..10 is sqrt(55/6).
        #expect(abs(s.stddev - (55.0 / 6).squareRoot()) < 1e-12)
        #expect(abs(s.throughput - 5) < 1e-12)
    }

    @Test func emptySamplesGiveNoStatistics() {
        #expect(LatencyStatistics(samplesMs: [], wallSeconds: 1) == nil)
    }

    @Test func singleSample() throws {
        let s = try #require(LatencyStatistics(samplesMs: [3], wallSeconds: 0.003))
        #expect(s.p50 == 3 && s.p99 == 3 && s.stddev == 0)
    }
}
