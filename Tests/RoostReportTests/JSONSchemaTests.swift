import Foundation
import Testing
import RoostCore
@testable import RoostReport

@Suite struct JSONSchemaTests {
    /// docs/report.schema.json, found from this file's place in the repository.
    static func schema() throws -> Data {
        var dir = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = dir.appendingPathComponent("docs/report.schema.json")
            if FileManager.default.fileExists(atPath: candidate.path) { return try Data(contentsOf: candidate) }
            dir.deleteLastPathComponent()
        }
        throw CocoaError(.fileNoSuchFile)
    }

    static func validator() throws -> JSONSchemaValidator { try JSONSchemaValidator(schema: try schema()) }

    /// A report that exercises every optional part: a baseline, exclusions, nulls, a server row.
    static func richReport() -> ModelReport {
        var rows = Fixtures.farm()
        rows.append(Fixtures.row(agent: "lab", scenario: .coldStart, median: 5, seed: 9, price: nil, peakMB: nil,
                                 loadMs: 40, firstInferenceMs: 9, maxAbsError: nil, tags: ["rack": "b<2>"]))
        rows.append(Fixtures.row(agent: "lab", batch: 8, scenario: .offline, median: 20, seed: 10, samplesPerSecond: 380, artifactLoadMs: 33))
        let base = [Fixtures.row(agent: "epyc", median: 1.8, seed: 70, price: 0.4, benchmarkID: "bench-1")]
        return Fixtures.report(rows, baseline: base, options: ReportOptions(constraints: Constraints(maxP99Ms: 10, maxMemoryMB: 170)))
    }

    @Test func singleAndMultiModelJSONValidate() throws {
        let validator = try Self.validator()
        let single = ReportRenderer.render(Self.richReport(), format: .json)
        #expect(try validator.validate(Data(single.utf8)) == [])
        let empty = Fixtures.report([], model: ModelInfo(sha256: "00", name: "empty", bytes: 1))
        let nothingFeasible = Fixtures.report(Fixtures.farm(), options: ReportOptions(constraints: Constraints(maxP99Ms: 0.001)))
        let all = ReportRenderer.render([Self.richReport(), empty, nothingFeasible], format: .json)
        #expect(try validator.validate(Data(all.utf8)) == [])
        let document = try JSONRenderer.decode(all)
        #expect(document.schemaVersion == 1)
        #expect(document.reports.map(\.model.name) == ["resnet-tiny", "empty", "resnet-tiny"])
        #expect(document.reports[2].recommendation.best == nil)
    }

    @Test func jsonCarriesExplicitNullsAndRoundTrips() throws {
        let text = ReportRenderer.render(Self.richReport(), format: .json)
        let json = try JSONValue.parse(Data(text.utf8))
        let rows = try #require(json["reports"]?.array?.first?["rows"]?.array)
        let coldStart = try #require(rows.first { $0["id"]?.string == "lab/native/2t/b1/cold-start" })
        #expect(coldStart["pricePerHour"] == .null)
        #expect(coldStart["costPerMillion"] == .null)
        #expect(coldStart["peakMemoryMB"] == .null)
        #expect(coldStart["coldStartMs"]?.number == 49)
        #expect(coldStart["coldStartSource"]?.string == "load+first-inference")
        #expect(coldStart["samplesMs"] == nil) // raw samples stay out of JSON
        let back = try JSONRenderer.decode(text)
        #expect(back.reports[0].rows.map(\.id) == Self.richReport().rows.map(\.id))
        #expect(back.reports[0].history?.changes.count == 1)
    }

    @Test func theValidatorCatchesDrift() throws {
        let validator = try Self.validator()
        var json = ReportRenderer.render(Fixtures.report(Fixtures.farm()), format: .json)
        json = json.replacingOccurrences(of: "\"objective\" : \"latency\"", with: "\"objective\" : \"speed\"")
        let violations = try validator.validate(Data(json.utf8))
        #expect(violations.contains { $0.path == "$.reports[0].options.objective" })
        #expect(try validator.validate(Data(#"{"schemaVersion": 1, "generatedAt": "x", "reports": [], "extra": true}"#.utf8))
            == [.init(path: "$", message: "property 'extra' is not in the schema")])
        #expect(try validator.validate(Data(#"{"schemaVersion": true, "generatedAt": "x", "reports": []}"#.utf8)).count == 1)
        #expect(try validator.validate(Data(#"{"schemaVersion": 1.5, "generatedAt": "x"}"#.utf8)).count == 2)
    }
}
