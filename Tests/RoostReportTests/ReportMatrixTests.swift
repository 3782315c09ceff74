import Foundation
import Testing
import RoostCore
@testable import RoostReport

@Suite struct ReportMatrixTests {
    @Test func oneRowPerAgentEngineThreadsBatchAndScenario() {
        let rows = [
            Fixtures.row(agent: "epyc", threads: 1, median: 3, seed: 1),
            Fixtures.row(agent: "epyc", threads: 2, median: 2, seed: 2),
            Fixtures.row(agent: "epyc", engine: "onnxruntime", threads: 2, median: 1.8, seed: 3),
            Fixtures.row(agent: "epyc", threads: 2, batch: 8, scenario: .offline, median: 10, seed: 4, samplesPerSecond: 900),
        ]
        let report = Fixtures.report(rows)
        #expect(Set(report.rows.map(\.id)) == [
            "epyc/native/1t/b1/single-stream", "epyc/native/2t/b1/single-stream",
            "epyc/onnxruntime/2t/b1/single-stream", "epyc/native/2t/b8/offline",
        ])
        // Ranked by p50 for the latency objective.
        #expect(report.rows.map(\.p50Ms) == report.rows.map(\.p50Ms).sorted())
        // Offline throughput is samples per second, not queries per second.
        #expect(report.rows.first { $0.key.batch == 8 }?.throughput == 900)
    }

    @Test func theNewestResultForAKeyWins() {
        let old = Fixtures.row(agent: "epyc", median: 3, seed: 1, finishedAt: Fixtures.t0.addingTimeInterval(-60))
        let new = Fixtures.row(agent: "epyc", median: 2, seed: 2)
        #expect(Fixtures.report([new, old]).rows.count == 1)
        #expect(Fixtures.report([old, new]).rows.first?.jobID == new.jobID)
        #expect(Fixtures.report([new, old]).rows.first?.jobID == new.jobID)
    }

    @Test func coldStartMemoryAccuracyAndIntervals() throws {
        let report = Fixtures.report([
            Fixtures.row(agent: "cold", scenario: .coldStart, median: 2, seed: 1, peakMB: 64, loadMs: 30, firstInferenceMs: 7, maxAbsError: 2e-5),
            Fixtures.row(agent: "warm", median: 2, seed: 2, artifactLoadMs: 12),
            Fixtures.row(agent: "none", median: 2, seed: 3),
        ])
        let cold = try #require(report.rows.first { $0.key.agent == "cold" })
        #expect(cold.coldStartMs == 37)
        #expect(cold.coldStartSource == "load+first-inference")
        #expect(cold.peakMemoryMB == 64)
        #expect(cold.maxAbsError == 2e-5)
        #expect(cold.p50CI != nil && cold.p50CI!.low < cold.p50Ms && cold.p50Ms < cold.p50CI!.high)
        let warm = try #require(report.rows.first { $0.key.agent == "warm" })
        #expect(warm.coldStartMs == 12 && warm.coldStartSource == "artifact-load")
        #expect(report.rows.first { $0.key.agent == "none" }?.coldStartMs == nil)
        // The box comes from the raw samples and agrees with the stored p50.
        let box = try #require(cold.distribution)
        #expect(abs(box.median - cold.p50Ms) < 1e-12)
        #expect(box.min <= box.p1 && box.p1 <= box.q1 && box.q1 <= box.median && box.median <= box.q3 && box.q3 <= box.p99 && box.p99 <= box.max)
    }

    @Test func resultsWithoutStatisticsAreListedNotRanked() {
        var broken = Fixtures.row(agent: "broken", median: 1, seed: 1)
        broken.result.statistics = nil
        broken.result.samplesMs = []
        var rebuilt = Fixtures.row(agent: "samples-only", median: 2, seed: 2)
        rebuilt.result.statistics = nil
        let report = Fixtures.report([broken, rebuilt])
        #expect(report.rows.map(\.key.agent) == ["samples-only"])
        #expect(report.unmeasured.map(\.id) == ["broken/native/2t/b1/single-stream"])
        #expect(report.recommendation.excluded.first?.exclusions.first?.kind == .noResult)
    }
}
