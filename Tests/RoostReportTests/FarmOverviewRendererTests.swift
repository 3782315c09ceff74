import Foundation
import Testing
import RoostCore
@testable import RoostReport

@Suite struct FarmOverviewRendererTests {
    let now = Fixtures.t0

    func overview() -> FarmOverview {
        let hw = Fixtures.hardware()
        let agents = [
            AgentInfo(agentID: "1", name: "<script>alert(1)</script>", state: "active", tags: [:], hardware: hw,
                      target: TargetSpec(hardware: hw), pricePerHour: nil, lastHeartbeat: now.addingTimeInterval(-12)),
            AgentInfo(agentID: "2", name: "bench-b", state: "quarantined", tags: [:], hardware: hw,
                      target: TargetSpec(hardware: hw), pricePerHour: 0.1, lastHeartbeat: nil),
        ]
        let target = TargetSpec(hardware: hw)
        func job(_ state: String) -> JobSummary { JobSummary(jobID: UUID().uuidString, state: state, attempt: 1, target: target, agentName: nil, errorMessage: nil) }
        let benchmarks = [
            BenchmarkStatus(benchmarkID: "aaaaaaaa-1", model: ModelInfo(sha256: "1", name: "resnet 50/v2?x=1#a", bytes: 1), targets: "all",
                            createdAt: now.addingTimeInterval(-600), jobs: [job("succeeded"), job("running"), job("queued")]),
            BenchmarkStatus(benchmarkID: "bbbbbbbb-2", model: ModelInfo(sha256: "2", name: "bert", bytes: 1), targets: "all",
                            createdAt: now.addingTimeInterval(-60), jobs: [job("succeeded"), job("failed")]),
        ]
        return FarmOverview(generatedAt: now, agents: agents, jobsByState: ["queued": 1, "running": 1, "succeeded": 2, "failed": 1], benchmarks: benchmarks)
    }

    @Test func summarizesAgentsQueueAndBenchmarks() {
        let o = overview()
        #expect(o.agents.map(\.name) == ["<script>alert(1)</script>", "bench-b"])
        #expect(o.queue.first == .init(state: "queued", jobs: 1))
        #expect(o.queue.map(\.state) == ["queued", "leased", "running", "succeeded", "failed", "error", "cancelled"])
        #expect(o.recentBenchmarks.map(\.modelName) == ["bert", "resnet 50/v2?x=1#a"]) // newest first
        #expect(o.recentBenchmarks[0].state == "partial")
        #expect(o.recentBenchmarks[1].state == "running")
        #expect(o.recentBenchmarks[1].jobsDone == 1 && o.recentBenchmarks[1].jobsTotal == 3)
    }

    @Test func pageIsEscapedSelfContainedAndLinksReports() {
        let html = FarmOverviewRenderer.html(overview())
        #expect(html.contains("<meta http-equiv=\"refresh\" content=\"2\">"))
        #expect(!html.contains("<script"))
        #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        #expect(html.contains("<a href=\"/reports/resnet%2050%2Fv2%3Fx%3D1%23a\">resnet 50/v2?x=1#a</a>"))
        #expect(html.contains("<a href=\"/reports/bert\">"))
        #expect(html.contains("12 s ago"))
        #expect(html.contains(">never<"))
        #expect(html.contains("<td class=\"num\">1/3</td>"))
        #expect(!FarmOverviewRenderer.html(overview(), refreshSeconds: nil).contains("http-equiv"))
    }
}
