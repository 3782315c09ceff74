import Testing
import RoostCore
@testable import RoostReport

@Suite struct HTMLRendererTests {
    static let attack = "<script>alert(1)</script>"

    func hostileReport() -> ModelReport {
        let model = ModelInfo(sha256: String(repeating: "c", count: 64), name: "<img src=x onerror=alert(2)>", bytes: 10)
        let rows = [
            Fixtures.row(agent: Self.attack, median: 1, seed: 1, price: 1, tags: ["<b>": "\"><svg onload=alert(3)>"],
                         hardware: Fixtures.hardware(cpu: "CPU <b>bold</b>")),
            Fixtures.row(agent: "plain", median: 2, seed: 2, price: 1, invalidReasons: ["</td><script>alert(4)</script>"]),
        ]
        return Fixtures.report(rows, model: model)
    }

    @Test func userControlledStringsAreEscapedEverywhere() {
        let html = ReportRenderer.render([hostileReport(), hostileReport()], format: .html)
        #expect(!html.contains("<script"))
        #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        #expect(!html.contains("<img"))
        #expect(!html.contains("<b>"))
        #expect(!html.contains("<svg onload"))
        #expect(html.contains("&quot;&gt;&lt;svg onload=alert(3)&gt;"))
        #expect(!html.contains("</td><script>"))
        // The agent's name appears in SVG text and tooltips too, escaped there as well.
        #expect(html.contains("<title>&lt;script&gt;alert(1)&lt;/script&gt;"))
    }

    @Test func selfContainedWithBothCharts() {
        let html = ReportRenderer.render(Fixtures.report(Fixtures.farm()), format: .html)
        #expect(html.hasPrefix("<!doctype html>"))
        #expect(html.components(separatedBy: "<svg ").count - 1 == 2)
        #expect(!html.contains("http://") && !html.contains("https://"))
        #expect(!html.contains("<script") && !html.contains("<link") && !html.contains("src="))
        #expect(html.contains("Latency distribution per target"))
        #expect(html.contains("Cost per 1M inferences against p99"))
        #expect(html.contains("Pareto frontier"))
        #expect(html.contains("<tr class=\"best\">"))
    }

    @Test func withoutPricesTheScatterShowsThroughputAndSaysWhy() {
        let rows = [Fixtures.row(agent: "a", median: 1, seed: 1, price: 1), Fixtures.row(agent: "b", median: 2, seed: 2, price: nil)]
        let report = Fixtures.report(rows)
        #expect(report.tradeoff.axes == .throughputVsP99)
        let html = ReportRenderer.render(report, format: .html)
        #expect(html.contains("Throughput against p99"))
        #expect(html.contains("1 of 2 targets have no price per hour (b)"))
    }

    @Test func multiModelPageHasATableOfContents() {
        let html = ReportRenderer.render([Fixtures.report(Fixtures.farm()), Fixtures.report([])], format: .html)
        #expect(html.contains("<title>Roost report: 2 models</title>"))
        #expect(html.contains("<a href=\"#model-1\">"))
        #expect(html.contains("<section id=\"model-1\">"))
    }
}
