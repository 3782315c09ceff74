import Foundation
import Testing
import RoostCore
@testable import RoostReport

@Suite struct ReportTests {
    func row(_ name: String, p50: Double, throughput: Double, price: Double?) -> ReportRow {
        let hw = HardwareProfile(arch: "x86_64", cpuModel: "CPU <b>", isaFeatures: ["avx2", "fma"], logicalCPUs: 2, usableCPUIDs: [0, 1])
        let target = TargetSpec(hardware: hw)
        let stats = LatencyStatistics(count: 100, p50: p50, p90: p50 * 1.1, p99: p50 * 1.5, mean: p50, min: p50 * 0.9, max: p50 * 2, stddev: 0.1, throughput: throughput)
        let agent = AgentInfo(agentID: UUID().uuidString, name: name, state: "active", tags: [:], hardware: hw, target: target, pricePerHour: price, lastHeartbeat: nil)
        let result = BenchmarkResult(status: .succeeded, statistics: stats, samplesMs: [p50], environment: RunEnvironment(blasCore: "Haswell", blasThreads: 2))
        return ReportRow(benchmarkID: "b", jobID: UUID().uuidString, agent: agent, target: target, result: result, finishedAt: Date(timeIntervalSince1970: 0))
    }

    @Test func ranksByP50AndMarksTheFastest() {
        let data = ReportData(model: ModelInfo(sha256: String(repeating: "c", count: 64), name: "m", bytes: 10),
                              rows: [row("slow", p50: 4, throughput: 250, price: 0.1), row("fast", p50: 2, throughput: 500, price: nil)])
        let r = ComparisonReport(data: data)
        #expect(r.rows.map(\.agent) == ["fast", "slow"])
        #expect(r.fastest?.agent == "fast")
        #expect(r.rows.filter(\.fastest).count == 1)
        // 1e6 / 250 s × $0.10/h ÷ 3600 = $0.1111…
        #expect(abs((r.rows[1].costPerMillion ?? 0) - 1e6 / 250 * 0.1 / 3600) < 1e-12)
        #expect(r.rows[0].costPerMillion == nil)
        let md = MarkdownRenderer.render(r)
        #expect(md.contains("**fastest**"))
        #expect(md.contains("unknown"))
        #expect(md.contains("2.00× faster than slow"))
    }

    @Test func htmlEscapesUserControlledStrings() {
        let data = ReportData(model: ModelInfo(sha256: String(repeating: "c", count: 64), name: "<img src=x>", bytes: 10),
                              rows: [row("<script>alert(1)</script>", p50: 1, throughput: 1000, price: 1)])
        let html = HTMLRenderer.render([ComparisonReport(data: data)])
        #expect(!html.contains("<script>alert(1)</script>"))
        #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        #expect(!html.contains("<img src=x>"))
        #expect(!html.contains("CPU <b>"))
    }

    @Test func jsonRoundTrips() throws {
        let data = ReportData(model: ModelInfo(sha256: String(repeating: "c", count: 64), name: "m", bytes: 10), rows: [row("a", p50: 1, throughput: 1000, price: 1)])
        let text = ReportFormat.json.render([ComparisonReport(data: data, generatedAt: Date(timeIntervalSince1970: 0))])
        let back = try CanonicalJSON.decode([ComparisonReport].self, from: Data(text.utf8))
        #expect(back.first?.rows.first?.agent == "a")
    }
}

@Suite struct ReportValidityTests {
    @Test func anInvalidFastestResultDoesNotWin() {
        let base = ReportTests()
        var fastButInvalid = base.row("noisy", p50: 1, throughput: 1000, price: nil)
        fastButInvalid.result.validity = Validity(reasons: ["other processes used 40% of the benchmark CPUs (limit 10%)"])
        let data = ReportData(model: ModelInfo(sha256: String(repeating: "c", count: 64), name: "m", bytes: 10),
                              rows: [fastButInvalid, base.row("steady", p50: 2, throughput: 500, price: nil)])
        let r = ComparisonReport(data: data)
        #expect(r.rows.map(\.agent) == ["noisy", "steady"])
        #expect(r.fastest?.agent == "steady")
        let md = MarkdownRenderer.render(r)
        #expect(md.contains("INVALID: other processes used 40%"))
    }
}
