import Foundation
import Testing
import RoostCore
@testable import RoostReport

/// Every format says per row how many runs the agent needed for its figure.
@Suite struct TriesColumnTests {
    func report() -> ModelReport {
        Fixtures.report([
            Fixtures.row(agent: "steady", median: 2.0, seed: 1, price: 0.2),
            Fixtures.row(agent: "rerun", median: 1.0, seed: 2, price: 0.4, tries: 3),
        ])
    }

    @Test func matrixRowsCountTheTries() throws {
        let r = report()
        #expect(try #require(r.rows.first { $0.key.agent == "rerun" }).tries == 3)
        #expect(try #require(r.rows.first { $0.key.agent == "steady" }).tries == 1)
    }

    @Test func markdownHasATriesColumn() throws {
        let md = ReportRenderer.render(report(), format: .md)
        let header = try #require(md.split(separator: "\n").first { $0.hasPrefix("| | target") })
        let columns = header.split(separator: "|", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        let index = try #require(columns.firstIndex(of: "tries"))
        #expect(columns[index - 1] == "validity")
        let rerun = try #require(md.split(separator: "\n").first { $0.hasPrefix("| ") && $0.contains("rerun · native") })
        #expect(rerun.contains("| VALID | 3 |"), "\(rerun)")
        let steady = try #require(md.split(separator: "\n").first { $0.hasPrefix("| ") && $0.contains("steady · native") })
        #expect(steady.contains("| VALID | 1 |"), "\(steady)")
    }

    @Test func csvHtmlAndJSONCarryIt() throws {
        let csv = CSVRendererTests.parse(ReportRenderer.render(report(), format: .csv))
        let col = try #require(CSVRenderer.columns.firstIndex(of: "tries"))
        let agent = try #require(CSVRenderer.columns.firstIndex(of: "agent"))
        #expect(csv.dropFirst().first { $0[agent] == "rerun" }?[col] == "3")
        #expect(csv.dropFirst().first { $0[agent] == "steady" }?[col] == "1")

        let html = ReportRenderer.render(report(), format: .html)
        #expect(html.contains("<th>validity</th><th>tries</th>"))
        #expect(html.contains("<td class=\"num\">3</td>"))

        let json = try JSONValue.parse(Data(ReportRenderer.render(report(), format: .json).utf8))
        let rows = try #require(json["reports"]?.array?.first?["rows"]?.array)
        #expect(rows.first { $0["key"]?["agent"]?.string == "rerun" }?["tries"]?.number == 3)
        #expect(try JSONRenderer.decode(ReportRenderer.render(report(), format: .json)).reports[0].rows.map(\.tries).sorted() == [1, 3])
    }
}
