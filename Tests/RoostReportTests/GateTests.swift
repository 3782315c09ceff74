import Foundation
import Testing
import RoostCore
@testable import RoostReport
#if canImport(FoundationXML)
import FoundationXML
#endif

/// The CI gate on seeded results: exit codes, precedence, JUnit XML a parser
/// reads, and the Markdown summary.
@Suite struct GateTests {
    let before = Fixtures.t0.addingTimeInterval(-86_400)

    func baseline(_ agent: String, median: Double, seed: UInt64) -> ReportRow {
        var row = Fixtures.row(agent: agent, median: median, seed: seed, benchmarkID: "base-1", finishedAt: before)
        row.labels = ["branch": "main", "commit": "aaa111"]
        return row
    }

    /// A finished benchmark whose jobs are the rows' jobs (plus any extra ones).
    func status(_ rows: [ReportRow], extra: [JobSummary] = []) -> BenchmarkStatus {
        let jobs = rows.map { JobSummary(jobID: $0.jobID, state: "succeeded", attempt: 1, target: $0.target, agentName: $0.agent.name, errorMessage: nil) }
        return BenchmarkStatus(benchmarkID: "bench-2", model: Fixtures.model, targets: "all", createdAt: Fixtures.t0, jobs: jobs + extra,
                               labels: ["commit": "bbb222"])
    }

    func gate(_ rows: [ReportRow], baseline: [ReportRow], extra: [JobSummary] = [], fail: Bool = true, ratio: Double = 1.05) -> GateOutcome {
        RegressionGate.evaluate(status: status(rows, extra: extra), data: Fixtures.data(rows, baseline: baseline), regressionRatio: ratio,
                                failOnRegression: fail, baselineReference: "branch=main")
    }

    @Test func aSignificantSlowdownAboveTheThresholdExits3() throws {
        let rows = [Fixtures.row(agent: "epyc", median: 2.4, seed: 1), Fixtures.row(agent: "pi5", median: 12.0, seed: 2)]
        let outcome = gate(rows, baseline: [baseline("epyc", median: 2.0, seed: 11), baseline("pi5", median: 12.0, seed: 12)])
        #expect(outcome.exitCode == .regression)
        #expect(outcome.exitCode.rawValue == 3)
        let failed = try #require(outcome.failures.first)
        #expect(outcome.failures.count == 1)
        #expect(failed.agent == "epyc" && failed.outcome == .regression)
        #expect(abs(try #require(failed.ratio) - 1.2) < 0.03)
        #expect(try #require(failed.pValue) < 0.05)
        #expect(failed.message.contains("×1.2"))
        #expect(outcome.cases.first { $0.agent == "pi5" }?.outcome == .passed)
        #expect(outcome.baselineBenchmarkID == "base-1")
        #expect(outcome.baselineLabels == ["branch": "main", "commit": "aaa111"])
    }

    @Test func aRegressionNeedsBothSizeAndSignificance() {
        // +20 % but on 30 very noisy samples: not significant, so no regression.
        let noisy = [Fixtures.row(agent: "epyc", median: 2.4, sigma: 1.5, count: 30, seed: 3)]
        #expect(gate(noisy, baseline: [Fixtures.row(agent: "epyc", median: 2.0, sigma: 1.5, count: 30, seed: 13, benchmarkID: "base-1", finishedAt: before)])
            .exitCode == .passed)
        // +10 % and significant, but under a 25 % threshold.
        let slower = [Fixtures.row(agent: "epyc", median: 2.2, seed: 4)]
        #expect(gate(slower, baseline: [baseline("epyc", median: 2.0, seed: 14)], ratio: 1.25).exitCode == .passed)
        #expect(gate(slower, baseline: [baseline("epyc", median: 2.0, seed: 14)], ratio: 1.05).exitCode == .regression)
    }

    @Test func withoutFailOnRegressionARegressionIsReportedNotFailed() throws {
        let rows = [Fixtures.row(agent: "epyc", median: 2.4, seed: 1)]
        let outcome = gate(rows, baseline: [baseline("epyc", median: 2.0, seed: 11)], fail: false)
        #expect(outcome.exitCode == .passed)
        #expect(outcome.cases[0].outcome == .regression)
        #expect(outcome.failures.isEmpty)
        let xml = JUnitRenderer.render(outcome)
        #expect(!xml.contains("<failure"))
        #expect(xml.contains("<system-out>regression: "))
    }

    @Test func accuracyFailuresWinOverRegressionsAndMissingResults() {
        var wrong = Fixtures.row(agent: "lab", median: 2.0, seed: 5)
        wrong.result.accuracy = AccuracyReport(maxAbsError: 0.5, maxRelError: 2, cosineSimilarity: 0.2, passed: false, referenceSource: "user")
        wrong.result.validity = Validity(reasons: ["accuracy: max abs error 0.5 beyond tolerance"])
        let slow = Fixtures.row(agent: "epyc", median: 2.4, seed: 1)
        let failedJob = JobSummary(jobID: "job-dead", state: "failed", attempt: 3, target: slow.target, agentName: "pi5", errorMessage: "lease expired")
        let outcome = gate([wrong, slow], baseline: [baseline("epyc", median: 2.0, seed: 11)], extra: [failedJob])
        #expect(outcome.exitCode == .accuracyFailure)
        #expect(outcome.exitCode.rawValue == 4)
        #expect(Set(outcome.failures.map(\.outcome)) == [.accuracyFailure, .regression, .noValidResult])
        let accuracy = outcome.cases.first { $0.agent == "lab" }
        #expect(accuracy?.message.contains("max abs error 0.5") == true)
        // Without the wrong answer the regression decides; without that, the missing result.
        #expect(gate([slow], baseline: [baseline("epyc", median: 2.0, seed: 11)], extra: [failedJob]).exitCode == .regression)
        #expect(gate([Fixtures.row(agent: "epyc", median: 2.0, seed: 6)], baseline: [baseline("epyc", median: 2.0, seed: 11)], extra: [failedJob]).exitCode
            == .noValidResult)
    }

    @Test func anInvalidResultIsNoValidResultOnlyWhenTheGateRequiresValidity() {
        let noisy = Fixtures.row(agent: "noisy", median: 1.0, seed: 4, invalidReasons: ["variation above threshold (CV 0.40 > 0.25)"])
        let strict = gate([noisy], baseline: [])
        #expect(strict.exitCode == .noValidResult)
        #expect(strict.exitCode.rawValue == 5)
        #expect(strict.cases[0].message.contains("CV 0.40"))
        let lenient = RegressionGate.evaluate(status: status([noisy]), data: Fixtures.data([noisy]), regressionRatio: 1.05,
                                              failOnRegression: false, requireValid: false)
        #expect(lenient.exitCode == .passed)
    }

    @Test func junitXMLHasOneCasePerJobAndFailuresCarryTheFigures() throws {
        let rows = [Fixtures.row(agent: "epyc", median: 2.4, seed: 1), Fixtures.row(agent: "pi<5>&\"q\"", median: 12.0, seed: 2)]
        let dead = JobSummary(jobID: "job-dead", state: "error", attempt: 1, target: rows[0].target, agentName: "arm\u{1}", errorMessage: "worker crashed")
        let outcome = gate(rows, baseline: [baseline("epyc", median: 2.0, seed: 11), baseline("pi<5>&\"q\"", median: 12.0, seed: 12)], extra: [dead])
        let xml = JUnitRenderer.render(outcome, timestamp: Fixtures.t0)
        let parsed = try JUnitDocument(Data(xml.utf8))
        #expect(parsed.suiteAttributes["tests"] == "3")
        #expect(parsed.suiteAttributes["failures"] == "1")
        #expect(parsed.suiteAttributes["errors"] == "1")
        #expect(parsed.cases.count == 3)
        let failing = parsed.cases.filter { $0.failure != nil }
        #expect(failing.count == 1)
        #expect(failing[0].classname == "resnet-tiny")
        #expect(failing[0].name.hasPrefix("epyc · native"))
        #expect(failing[0].failure?.contains("p50_ratio: 1.") == true)
        #expect(failing[0].failure?.contains("baseline_p50_ms: ") == true)
        #expect(failing[0].failureType == "regression")
        #expect(parsed.cases.contains { $0.name.hasPrefix("pi<5>&\"q\"") && $0.failure == nil && $0.error == nil })
        #expect(parsed.cases.filter { $0.error != nil }.count == 1)
        #expect(parsed.properties["label.commit"] == "bbb222")
        #expect(parsed.properties["baseline.label.branch"] == "main")
        #expect(parsed.properties["baseline"] == "base-1")
    }

    @Test func summaryLeadsWithTheVerdictAndListsEveryTarget() {
        let rows = [Fixtures.row(agent: "epyc", median: 2.4, seed: 1), Fixtures.row(agent: "pi|5", median: 12.0, seed: 2)]
        let outcome = gate(rows, baseline: [baseline("epyc", median: 2.0, seed: 11), baseline("pi|5", median: 12.0, seed: 12)])
        let md = GateSummaryRenderer.render(outcome)
        let lines = md.split(separator: "\n")
        #expect(lines[0] == "## Roost: resnet-tiny — failed: 1 target(s) regressed")
        #expect(md.contains("commit=bbb222"))
        #expect(md.contains("against baseline `base-1` (branch=main, commit=aaa111)"))
        #expect(md.contains("| ❌ regression | epyc |"))
        #expect(md.contains("| ✅ passed | pi\\|5 |"))
        #expect(md.contains("Exit code 3"))
        let none = gate([Fixtures.row(agent: "epyc", median: 2.0, seed: 1)], baseline: [])
        #expect(GateSummaryRenderer.render(none).contains("no baseline: no earlier benchmark of this model matches `branch=main`"))
        #expect(none.exitCode == .passed)
    }
}

/// The parts of a JUnit file CI systems read, through Foundation's XML parser.
struct JUnitDocument {
    struct Case { var classname = "", name = "", failure: String?, failureType: String?, error: String? }
    var suiteAttributes: [String: String] = [:]
    var properties: [String: String] = [:]
    var cases: [Case] = []

    init(_ data: Data) throws {
        let delegate = Delegate()
        let parser = XMLParser(data: data)
        parser.delegate = delegate
        guard parser.parse() else { throw RoostError.io("JUnit XML does not parse: \(parser.parserError.map { "\($0)" } ?? "?")") }
        self = delegate.document
    }

    final class Delegate: NSObject, XMLParserDelegate {
        var document = JUnitDocument(empty: ())
        var text = ""
        func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String]) {
            text = ""
            switch name {
            case "testsuite": document.suiteAttributes = attributes
            case "property": document.properties[attributes["name"] ?? ""] = attributes["value"]
            case "testcase": document.cases.append(Case(classname: attributes["classname"] ?? "", name: attributes["name"] ?? ""))
            case "failure": document.cases[document.cases.count - 1].failureType = attributes["type"]
            default: break
            }
        }
        func parser(_ parser: XMLParser, foundCharacters string: String) { text += string }
        func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
            if name == "failure" { document.cases[document.cases.count - 1].failure = text }
            if name == "error" { document.cases[document.cases.count - 1].error = text }
        }
    }

    private init(empty: ()) {}
}
