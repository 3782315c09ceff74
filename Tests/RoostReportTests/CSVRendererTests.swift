import Testing
import RoostCore
@testable import RoostReport

@Suite struct CSVRendererTests {
    /// RFC 4180 records: split on CRLF outside quotes, fields on commas outside quotes.
    static func parse(_ text: String) -> [[String]] {
        var records: [[String]] = [], fields: [String] = [], field = "", quoted = false
        var chars = Array(text.unicodeScalars)[...]
        while let c = chars.popFirst() {
            if quoted {
                if c == "\"" {
                    if chars.first == "\"" { field.unicodeScalars.append("\""); chars.removeFirst() } else { quoted = false }
                } else { field.unicodeScalars.append(c) }
            } else if c == "\"" { quoted = true }
            else if c == "," { fields.append(field); field = "" }
            else if c == "\r", chars.first == "\n" { chars.removeFirst(); fields.append(field); records.append(fields); fields = []; field = "" }
            else { field.unicodeScalars.append(c) }
        }
        return records
    }

    @Test func oneHeaderAndOneLinePerMatrixRow() throws {
        let report = Fixtures.report(Fixtures.farm())
        let text = ReportRenderer.render(report, format: .csv)
        let records = Self.parse(text)
        #expect(records.count == 1 + 5)
        #expect(records[0] == CSVRenderer.columns)
        #expect(records.allSatisfy { $0.count == CSVRenderer.columns.count })
        #expect(text.hasSuffix("\r\n"))
        let col = { (name: String) in CSVRenderer.columns.firstIndex(of: name)! }
        let epyc = try #require(records.first { $0[col("agent")] == "epyc" })
        #expect(epyc[col("recommendation")] == "best")
        #expect(epyc[col("eligible")] == "true")
        #expect(Double(epyc[col("p50_ms")]) == report.rows.first { $0.key.agent == "epyc" }?.p50Ms)
        #expect(Double(epyc[col("cost_per_million")]) == report.rows.first { $0.key.agent == "epyc" }?.costPerMillion)
        let noisy = try #require(records.first { $0[col("agent")] == "noisy" })
        #expect(noisy[col("valid")] == "false")
        #expect(noisy[col("validity_reasons")] == "other processes used 40% of the benchmark CPUs (limit 10%)")
    }

    @Test func quotesFieldsThatNeedIt() throws {
        let rows = [Fixtures.row(agent: "rack \"7\", slot 3", median: 2, seed: 1, price: nil, invalidReasons: ["line one\r\nline two", "a, b"])]
        let text = ReportRenderer.render(Fixtures.report(rows), format: .csv)
        #expect(text.contains("\"rack \"\"7\"\", slot 3\""))
        let records = Self.parse(text)
        #expect(records.count == 2)
        let col = { (name: String) in CSVRenderer.columns.firstIndex(of: name)! }
        #expect(records[1][col("agent")] == "rack \"7\", slot 3")
        #expect(records[1][col("validity_reasons")] == "line one\r\nline two; a, b")
        #expect(records[1][col("cost_per_million")] == "")
    }

    /// Issue 18: a model named `=HYPERLINK(…)` was the raw first cell; a spreadsheet runs it.
    @Test func textCellsThatASpreadsheetWouldEvaluateAreNeutralised() throws {
        let col = { (name: String) in CSVRenderer.columns.firstIndex(of: name)! }
        for lead in ["=", "+", "-", "@", "\t", "\r"] {
            let model = ModelInfo(sha256: String(repeating: "ef", count: 32), name: lead + #"HYPERLINK("http://x","x")"#, bytes: 1)
            let rows = [Fixtures.row(agent: lead + "cmd|' /C calc'!A0", median: 2, seed: 1, invalidReasons: [lead + "1+1"])]
            let text = ReportRenderer.render(Fixtures.report(rows, model: model), format: .csv)
            let records = Self.parse(text)
            #expect(records.count == 2)
            #expect(records[1][col("model")] == "'" + model.name, "lead \(lead.debugDescription)")
            #expect(records[1][col("agent")].hasPrefix("'" + lead))
            #expect(records[1][col("validity_reasons")].hasPrefix("'" + lead))
            for (i, cell) in records[1].enumerated() where !CSVRenderer.numericColumns.contains(CSVRenderer.columns[i]) {
                #expect(!["=", "+", "-", "@", "\t", "\r"].contains(cell.first.map(String.init) ?? ""), "\(CSVRenderer.columns[i]): \(cell)")
            }
        }
        // Text that merely contains such characters is untouched, and numbers keep their sign.
        #expect(Escape.csvText("a=b") == "a=b" && Escape.csvText("x-1") == "x-1")
        #expect(Escape.csvText("-") == "'-" && Escape.csvText("") == "")
        #expect(CSVRenderer.cells(["-1.5"] + [String](repeating: "", count: CSVRenderer.columns.count - 1)).hasPrefix("'-1.5"),
                "model is a text column")
        let threads = CSVRenderer.columns.firstIndex(of: "p50_ratio_to_baseline")!
        var fields = [String](repeating: "", count: CSVRenderer.columns.count)
        fields[threads] = "-0.5"
        #expect(CSVRenderer.cells(fields).contains(",-0.5,"), "a number's sign must not be neutralised")
    }

    @Test func unreadableRowsAreLinesOfTheirOwn() throws {
        var data = Fixtures.data([Fixtures.row(agent: "epyc", median: 2, seed: 1)])
        data.unreadable = [UnreadableRow(jobID: "job-1", reason: "=bad statistics")]
        let records = Self.parse(ReportRenderer.render(ReportBuilder.build(data: data), format: .csv))
        let col = { (name: String) in CSVRenderer.columns.firstIndex(of: name)! }
        #expect(records.count == 3)
        #expect(records[2][col("row_id")] == "unreadable" && records[2][col("job_id")] == "job-1")
        #expect(records[2][col("validity_reasons")] == "unreadable: =bad statistics")
        let md = ReportRenderer.render(ReportBuilder.build(data: data), format: .md)
        #expect(md.contains("Unreadable results") && md.contains("job-1"))
        let html = ReportRenderer.render(ReportBuilder.build(data: data), format: .html)
        #expect(html.contains("Unreadable results") && html.contains("job-1"))
    }

    @Test func allModelsShareOneTable() {
        let other = ModelInfo(sha256: String(repeating: "cd", count: 32), name: "bert-mini", bytes: 99)
        let reports = [Fixtures.report(Fixtures.farm()), Fixtures.report([Fixtures.row(agent: "epyc", median: 9, seed: 3)], model: other)]
        let records = Self.parse(ReportRenderer.render(reports, format: .csv))
        #expect(records.count == 1 + 5 + 1)
        #expect(records.last?.first == "bert-mini")
    }
}
