import Foundation
import Testing
import RoostCore
@testable import RoostReport

@Suite struct RegressionTests {
    let before = Fixtures.t0.addingTimeInterval(-86_400)

    func baseline(_ agent: String, median: Double, seed: UInt64, engine: String = "native") -> ReportRow {
        Fixtures.row(agent: agent, engine: engine, median: median, seed: seed, benchmarkID: "bench-1", finishedAt: before)
    }

    @Test func flagsSignificantSlowdownsAndSpeedupsOnMatchedRows() throws {
        let current = [
            Fixtures.row(agent: "slower", median: 2.2, seed: 31),   // +10 %: regression
            Fixtures.row(agent: "faster", median: 1.8, seed: 32),   // −10 %: improvement
            Fixtures.row(agent: "steady", median: 2.0, seed: 33),   // same distribution
            Fixtures.row(agent: "nudged", median: 2.04, seed: 34),  // +2 %: significant on 400 samples, but under 5 %
            Fixtures.row(agent: "fresh", median: 2.0, seed: 35),    // no baseline
        ]
        let base = [
            baseline("slower", median: 2.0, seed: 41), baseline("faster", median: 2.0, seed: 42),
            baseline("steady", median: 2.0, seed: 43), baseline("nudged", median: 2.0, seed: 44),
            baseline("retired", median: 2.0, seed: 45),
        ]
        let history = try #require(Fixtures.report(current, baseline: base).history)
        let verdicts = Dictionary(uniqueKeysWithValues: history.changes.map { ($0.id.split(separator: "/")[0], $0.verdict) })
        #expect(verdicts == ["slower": .regression, "faster": .improvement, "steady": .unchanged, "nudged": .unchanged])
        let slower = try #require(history.changes.first { $0.verdict == .regression })
        #expect(abs(slower.p50Ratio - 1.1) < 0.02)
        #expect(slower.baselineBenchmarkID == "bench-1")
        #expect(try #require(slower.test).pValue < 0.05)
        let nudged = try #require(history.changes.first { $0.id.hasPrefix("nudged") })
        #expect(nudged.p50Ratio > 1 && nudged.p50Ratio < 1.05)
        #expect(history.newRows == ["fresh/native/2t/b1/single-stream"])
        #expect(history.missingRows == ["retired/native/2t/b1/single-stream"])
        #expect(history.baselineBenchmarkIDs == ["bench-1"])
        #expect(history.regressions.count == 1 && history.improvements.count == 1)

        let report = Fixtures.report(current, baseline: base)
        #expect(ReportRenderer.render(report, format: .md).contains("**REGRESSION**"))
        #expect(ReportRenderer.render(report, format: .html).contains("<td class=\"regression\">REGRESSION</td>"))
    }

    @Test func aLargeRatioOnTooLittleEvidenceIsNotARegression() throws {
        // 8 % slower but only 5 noisy samples a side: not significant.
        let current = [Fixtures.row(agent: "tiny", median: 2.16, sigma: 0.3, count: 5, seed: 51)]
        let base = [Fixtures.row(agent: "tiny", median: 2.0, sigma: 0.3, count: 5, seed: 52, benchmarkID: "bench-1", finishedAt: before)]
        let change = try #require(Fixtures.report(current, baseline: base).history?.changes.first)
        #expect(change.verdict == .unchanged)
        #expect(try #require(change.test).pValue >= 0.05)
    }

    @Test func rowsMatchOnEngineThreadsBatchAndScenarioToo() throws {
        let current = [Fixtures.row(agent: "epyc", engine: "onnxruntime", median: 3, seed: 61)]
        let base = [baseline("epyc", median: 2, seed: 62)] // same agent, other engine
        let history = try #require(Fixtures.report(current, baseline: base).history)
        #expect(history.changes.isEmpty)
        #expect(history.newRows.count == 1 && history.missingRows.count == 1)
    }

    @Test func noBaselineMeansNoHistory() {
        #expect(Fixtures.report(Fixtures.farm()).history == nil)
    }
}
