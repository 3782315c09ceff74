import Testing
@testable import RoostCore

@Suite struct BenchmarkLabelsTests {
    @Test func parsesKeyValueAtTheFirstEquals() throws {
        #expect(try BenchmarkLabels.parse(all: ["commit=abc123", "branch=feature/x", "note=a=b", "empty="])
            == ["commit": "abc123", "branch": "feature/x", "note": "a=b", "empty": ""])
        #expect(BenchmarkLabels.text(["commit": "abc", "branch": "main"]) == "branch=main, commit=abc")
        #expect(BenchmarkLabels.text(nil) == "")
    }

    @Test func refusesWhatCannotNameABaseline() {
        for bad in ["commit", "=x", "sp ace=1", "k\u{0}=v", String(repeating: "k", count: 65) + "=v", "k=line\nbreak", "k=" + String(repeating: "v", count: 257)] {
            #expect(throws: RoostError.self, "\(bad.debugDescription)") { try BenchmarkLabels.parse(bad) }
        }
        #expect(throws: RoostError.self) { try BenchmarkLabels.parse(all: ["a=1", "a=2"]) }
        let many = Dictionary(uniqueKeysWithValues: (0...BenchmarkLabels.maxCount).map { ("k\($0)", "v") })
        #expect(throws: RoostError.self) { try BenchmarkLabels.validate(many) }
    }
}
