import Foundation
import Testing
import RoostCore
@testable import RoostReport

/// `--objective energy`: joules per inference from the result's energy
/// reading rank the rows; a row without a counter is "not measured" and
/// excluded from the energy recommendation, never counted as 0 J.
@Suite struct EnergyObjectiveTests {
    static func withEnergy(_ row: ReportRow, joules: Double?, source: String = "rapl:package-0") -> ReportRow {
        var row = row
        if let joules { row.result.environment.energy = EnergyReading(joules: joules, inferences: 1000, source: source, seconds: 2) }
        return row
    }

    @Test func energyRanksByJoulesPerInferenceAndMarksUnmeasuredRows() throws {
        let rows = [
            Self.withEnergy(Fixtures.row(agent: "epyc", median: 2.0, seed: 1, price: 0.4), joules: 30),           // 30 mJ per inference
            Self.withEnergy(Fixtures.row(agent: "h100", engine: "onnxruntime-cuda", median: 0.5, seed: 2), joules: 12, source: "nvidia-smi-power"),
            Self.withEnergy(Fixtures.row(agent: "vm", median: 1.0, seed: 3), joules: nil),                           // fastest, but no counter
        ]
        let report = Fixtures.report(rows, options: ReportOptions(objective: .energy))
        #expect(report.rows.first?.key.agent == "h100")
        #expect(report.rows.first?.joulesPerInference == 0.012 && report.rows.first?.energySource == "nvidia-smi-power")
        let best = try #require(report.recommendation.best)
        #expect(best.label.contains("h100") && best.value == 0.012)
        #expect(report.recommendation.summary.contains("12 mJ per inference"), "\(report.recommendation.summary)")
        let vm = try #require(report.rows.first { $0.key.agent == "vm" })
        #expect(vm.joulesPerInference == nil && vm.exclusions.map(\.kind) == [.energyUnknown])
        #expect(report.recommendation.excluded.contains { $0.label.contains("vm") })
        let md = MarkdownRenderer.render(report)
        #expect(md.contains("| J/inf |") && md.contains("not measured") && md.contains("30 mJ"))
        let html = HTMLRenderer.render([report])
        #expect(html.contains("<th>J/inference</th>") && html.contains("12 mJ") && html.contains("not measured"))
        let csv = CSVRendererTests.parse(CSVRenderer.render([report]))
        let jCol = try #require(csv[0].firstIndex(of: "joules_per_inference"))
        let sourceCol = try #require(csv[0].firstIndex(of: "energy_source"))
        let agentCol = try #require(csv[0].firstIndex(of: "agent"))
        let h100 = try #require(csv.first { $0.count > agentCol && $0[agentCol] == "h100" })
        #expect(Double(h100[jCol]) == 0.012 && h100[sourceCol] == "nvidia-smi-power")
        let vmLine = try #require(csv.first { $0.count > agentCol && $0[agentCol] == "vm" })
        #expect(vmLine[jCol] == "" && vmLine[sourceCol] == "")
        // Other objectives keep the unmeasured row eligible: energy is a column there, not a gate.
        let latency = Fixtures.report(rows, options: ReportOptions(objective: .latency))
        #expect(latency.rows.first { $0.key.agent == "vm" }?.eligible == true)
        #expect(try JSONSchemaTests.validator().validate(Data(ReportRenderer.render(report, format: .json).utf8)) == [])
    }
}
