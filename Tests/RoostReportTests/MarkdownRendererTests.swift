import Testing
import RoostCore
@testable import RoostReport

@Suite struct MarkdownRendererTests {
    @Test func recommendationMatrixAndExclusions() throws {
        let md = ReportRenderer.render(Fixtures.report(Fixtures.farm()), format: .md)
        #expect(md.hasPrefix("# Roost report\n\n## resnet-tiny\n"))
        #expect(md.contains("Best for latency: epyc · native · 2t"))
        #expect(md.contains("| **best** | epyc · native · 2t |"))
        #expect(md.contains("| **runner-up** | graviton · native · 2t |"))
        #expect(md.contains("### Excluded from the recommendation"))
        #expect(md.contains("- sick · native · 2t: agent sick is quarantined"))
        #expect(md.contains("Pareto frontier"))
        // Five matrix rows, each with thirteen cells.
        let tableRows = md.split(separator: "\n").filter { $0.hasPrefix("| ") && !$0.hasPrefix("| |") && !$0.hasPrefix("| target") }
        #expect(tableRows.count == 5)
    }

    @Test func cellsCannotBreakTheTable() {
        let md = ReportRenderer.render(Fixtures.report([Fixtures.row(agent: "a|b\nc<d>", median: 1, seed: 1)]), format: .md)
        #expect(md.contains("a\\|b c\\<d\\>"))
        #expect(!md.contains("c<d>"))
    }
}
