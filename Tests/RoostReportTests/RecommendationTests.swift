import Foundation
import Testing
import RoostCore
@testable import RoostReport

@Suite struct RecommendationTests {
    @Test func latencyObjectivePicksTheFastestTrustworthyTarget() throws {
        let report = Fixtures.report(Fixtures.farm())
        let rec = report.recommendation
        #expect(rec.best?.id == "epyc/native/2t/b1/single-stream")
        #expect(rec.runnerUp?.label == "graviton · native · 2t")
        let sig = try #require(rec.significance)
        #expect(sig.verdict == .significant)
        #expect(try #require(sig.test).pValue < 1e-10)
        // Medians of 2 ms and 3 ms: the runner-up is 1.5× slower, within sampling noise.
        #expect(abs(try #require(sig.medianRatio) - 1.5) < 0.02)
        #expect(try #require(rec.best).value == report.rows.first { $0.key.agent == "epyc" }?.p50Ms)
        #expect(rec.summary.contains("significant"))
    }

    @Test func anInvalidFastestTargetIsExcludedAndListedWithItsReason() throws {
        let report = Fixtures.report(Fixtures.farm())
        // "noisy" has the lowest p50 of all and stays in the matrix, first in rank order…
        #expect(report.rows.first?.key.agent == "noisy")
        #expect(report.recommendation.best?.id != report.rows.first?.id)
        // …but is listed as excluded, with the harness's reason.
        let noisy = try #require(report.recommendation.excluded.first { $0.label.hasPrefix("noisy") })
        #expect(noisy.exclusions.map(\.kind) == [.invalid])
        #expect(noisy.exclusions[0].message.contains("other processes used 40%"))
        let sick = try #require(report.recommendation.excluded.first { $0.label.hasPrefix("sick") })
        #expect(sick.exclusions.map(\.kind) == [.agentState])
        #expect(sick.exclusions[0].message == "agent sick is quarantined")
        #expect(report.recommendation.excluded.count == 2)

        let md = ReportRenderer.render(report, format: .md)
        #expect(md.contains("INVALID result: other processes used 40%"))
    }

    @Test func includingInvalidAndUnhealthyResultsOnRequest() {
        var options = ReportOptions()
        options.includeInvalid = true
        #expect(Fixtures.report(Fixtures.farm(), options: options).recommendation.best?.label.hasPrefix("noisy") == true)
        options = ReportOptions(includeUnhealthyAgents: true)
        // "sick" (1.5 ms) now beats "epyc" (2 ms); "noisy" is still INVALID.
        #expect(Fixtures.report(Fixtures.farm(), options: options).recommendation.best?.label.hasPrefix("sick") == true)
    }

    @Test func maxP99ExcludesTheSlowTargets() throws {
        let report = Fixtures.report(Fixtures.farm(), options: ReportOptions(constraints: Constraints(maxP99Ms: 2.5)))
        #expect(report.recommendation.best?.label.hasPrefix("epyc") == true)
        #expect(report.recommendation.runnerUp == nil)
        #expect(report.recommendation.significance == nil)
        let graviton = try #require(report.recommendation.excluded.first { $0.label.hasPrefix("graviton") })
        #expect(graviton.exclusions.map(\.kind) == [.maxP99])
        #expect(graviton.exclusions[0].limit == 2.5)
        #expect(graviton.exclusions[0].value == report.rows.first { $0.key.agent == "graviton" }?.p99Ms)
        #expect(graviton.exclusions[0].message.hasSuffix("exceeds --max-p99-ms 2.5"))
    }

    @Test func costObjectiveWeighsPriceAgainstSpeed() throws {
        let report = Fixtures.report(Fixtures.farm(), options: ReportOptions(objective: .cost))
        // pi5: ~83/s at $0.01/h ≈ $0.033 per 1M; graviton: ~333/s at $0.20/h ≈ $0.167; epyc: ~500/s at $0.40/h ≈ $0.222.
        #expect(report.recommendation.best?.label.hasPrefix("pi5") == true)
        #expect(report.recommendation.runnerUp?.label.hasPrefix("graviton") == true)
        let pi5 = try #require(report.rows.first { $0.key.agent == "pi5" })
        #expect(report.recommendation.best?.value == pi5.costPerMillion)
        #expect(abs(try #require(pi5.costPerMillion) - 1e6 / pi5.throughput * 0.01 / 3600) < 1e-12)
        #expect(report.recommendation.significance?.verdict == .significant)
        // Per-query cost medians: graviton (3 ms × $0.20) over pi5 (12 ms × $0.01) = 5.
        #expect(abs(try #require(report.recommendation.significance?.medianRatio) - 5) < 0.1)
    }

    @Test func throughputObjectiveWithAMinimum() throws {
        let options = ReportOptions(objective: .throughput, constraints: Constraints(minThroughput: 400))
        let report = Fixtures.report(Fixtures.farm(), options: options)
        #expect(report.recommendation.best?.label.hasPrefix("epyc") == true)
        let graviton = try #require(report.recommendation.excluded.first { $0.label.hasPrefix("graviton") })
        #expect(graviton.exclusions.map(\.kind) == [.minThroughput])
        #expect(graviton.exclusions[0].limit == 400)
    }

    @Test func enginesAndMemoryConstraints() throws {
        let rows = [
            Fixtures.row(agent: "epyc", median: 2, seed: 1, peakMB: 180),
            Fixtures.row(agent: "epyc", engine: "onnxruntime", median: 1.5, seed: 2, peakMB: 120),
            Fixtures.row(agent: "arm", median: 2.5, seed: 3, peakMB: 120),
            Fixtures.row(agent: "mystery", median: 2.2, seed: 4, peakMB: nil),
        ]
        let options = ReportOptions(constraints: Constraints(maxMemoryMB: 150, engines: Constraints.engines(from: " native, ,")))
        let report = Fixtures.report(rows, options: options)
        #expect(report.recommendation.best?.id == "arm/native/2t/b1/single-stream")
        let kinds = Dictionary(uniqueKeysWithValues: report.recommendation.excluded.map { ($0.id, $0.exclusions.map(\.kind)) })
        #expect(kinds["epyc/native/2t/b1/single-stream"] == [.maxMemory])
        #expect(kinds["epyc/onnxruntime/2t/b1/single-stream"] == [.engine])
        #expect(kinds["mystery/native/2t/b1/single-stream"] == [.memoryUnknown])
    }

    @Test func equalTargetsAreIndistinguishable() throws {
        let rows = [Fixtures.row(agent: "twin-a", median: 2, seed: 21), Fixtures.row(agent: "twin-b", median: 2, seed: 22)]
        let rec = Fixtures.report(rows).recommendation
        let sig = try #require(rec.significance)
        #expect(sig.verdict == .indistinguishable)
        #expect(try #require(sig.test).pValue >= 0.05)
        #expect(abs(try #require(sig.medianRatio) - 1) < 0.02)
        #expect(rec.best != nil && rec.runnerUp != nil)
        #expect(rec.summary.contains("statistically indistinguishable"))
    }

    /// Within one run 2.0 vs 2.1 ms is a clear lead (400 queries each, p ≪ α),
    /// but when either target's own p50 moved more than that since its previous
    /// benchmark of the model, the next run could reverse the order: the report
    /// says they are indistinguishable. A lead larger than the change stays significant.
    @Test func aLeadWithinTheRunToRunChangeIsIndistinguishable() throws {
        let current = [Fixtures.row(agent: "a", median: 2.0, sigma: 0.02, seed: 1), Fixtures.row(agent: "b", median: 2.1, sigma: 0.02, seed: 2)]
        func previous(_ a: Double, _ b: Double) -> [ReportRow] {
            [Fixtures.row(agent: "a", median: a, sigma: 0.02, seed: 3, benchmarkID: "bench-1"),
             Fixtures.row(agent: "b", median: b, sigma: 0.02, seed: 4, benchmarkID: "bench-1")]
        }
        let alone = try #require(Fixtures.report(current).recommendation.significance)
        #expect(alone.verdict == .significant && alone.runToRunChange == nil)

        // b was 12 % faster last time: the 5 % lead is within that.
        let moved = Fixtures.report(current, baseline: previous(2.02, 1.85)).recommendation
        let sig = try #require(moved.significance)
        #expect(moved.best?.label.hasPrefix("a") == true)
        #expect(sig.verdict == .indistinguishable, "\(sig)")
        #expect(try #require(sig.test).isSignificant(alpha: sig.alpha))
        #expect(abs(try #require(sig.runToRunChange) - (2.1 / 1.85 - 1)) < 0.02)
        #expect(moved.summary.contains("statistically indistinguishable") && moved.summary.contains("since their previous benchmark"), "\(moved.summary)")

        // Both within 1 % of last time: the 5 % lead is real.
        let steady = try #require(Fixtures.report(current, baseline: previous(2.01, 2.09)).recommendation.significance)
        #expect(steady.verdict == .significant && (steady.runToRunChange ?? 1) < 0.02)
        #expect(try JSONSchemaTests.validator().validate(Data(ReportRenderer.render(Fixtures.report(current, baseline: previous(2.02, 1.85)), format: .json).utf8)) == [])
    }

    @Test func nothingFeasibleSaysWhatExcludedEachTarget() throws {
        let rows = [
            Fixtures.row(agent: "a-invalid", median: 1, seed: 1, price: 1, invalidReasons: ["CV 0.4 above 0.25"]),
            Fixtures.row(agent: "b-degraded", median: 1, seed: 2, price: 1, state: "degraded"),
            Fixtures.row(agent: "c-engine", engine: "tflite", median: 1, seed: 3, price: 1),
            Fixtures.row(agent: "d-slow", median: 50, seed: 4, price: 1),
            Fixtures.row(agent: "e-big", median: 1, seed: 5, price: 1, peakMB: 4096),
            Fixtures.row(agent: "f-unmetered", median: 1, seed: 6, price: 1, peakMB: nil),
            Fixtures.row(agent: "g-unpriced", median: 1, seed: 7, price: nil),
            Fixtures.row(agent: "h-starved", batch: 1, median: 1, seed: 8, price: 1, samplesPerSecond: 10),
        ]
        let options = ReportOptions(objective: .cost, constraints: Constraints(maxP99Ms: 20, minThroughput: 100, maxMemoryMB: 1024, engines: ["native"]))
        let report = Fixtures.report(rows, options: options)
        let rec = report.recommendation
        #expect(rec.best == nil && rec.runnerUp == nil && rec.significance == nil)
        #expect(rec.summary.hasPrefix("No target meets the constraints"))
        let kinds = Dictionary(uniqueKeysWithValues: rec.excluded.map { ($0.id.split(separator: "/")[0], $0.exclusions.map(\.kind)) })
        #expect(kinds["a-invalid"] == [.invalid])
        #expect(kinds["b-degraded"] == [.agentState])
        #expect(kinds["c-engine"] == [.engine])
        #expect(kinds["d-slow"] == [.maxP99, .minThroughput]) // ~20/s at 50 ms, and a p99 above 20 ms
        #expect(kinds["e-big"] == [.maxMemory])
        #expect(kinds["f-unmetered"] == [.memoryUnknown])
        #expect(kinds["g-unpriced"] == [.priceUnknown])
        #expect(kinds["h-starved"] == [.minThroughput])
        #expect(kinds.count == rows.count)

        let html = ReportRenderer.render(report, format: .html)
        #expect(html.contains("class=\"rec none\""))
        #expect(html.contains("cost unknown: agent g-unpriced has no price per hour"))
    }

    @Test func significanceIsUntestedWithoutRawSamples() throws {
        var a = Fixtures.row(agent: "a", median: 2, seed: 1)
        a.result.samplesMs = []
        let rec = Fixtures.report([a, Fixtures.row(agent: "b", median: 3, seed: 2)]).recommendation
        #expect(rec.best?.label.hasPrefix("a") == true)
        #expect(rec.significance?.verdict == .untested)
        #expect(rec.significance?.notes.first?.contains("raw samples missing") == true)
    }

    @Test func noResultsAtAll() {
        let report = Fixtures.report([])
        #expect(report.recommendation.summary == "No results yet.")
        #expect(report.tradeoff.axes == .none)
        #expect(ReportRenderer.render(report, format: .csv) == CSVRenderer.columns.joined(separator: ",") + "\r\n")
    }
}
