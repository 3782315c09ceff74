import Foundation
import Testing
import RoostCore
@testable import RoostReport

@Suite struct ReportDataDecodingTests {
    @Test func bodiesWithoutABaselineStillDecode() throws {
        let data = Fixtures.data([Fixtures.row(agent: "a", median: 1, seed: 1)])
        var object = try #require(try JSONSerialization.jsonObject(with: CanonicalJSON.encode(data)) as? [String: Any])
        #expect(object["baseline"] != nil)
        object.removeValue(forKey: "baseline")
        let old = try JSONSerialization.data(withJSONObject: object)
        let decoded = try CanonicalJSON.decode(ReportData.self, from: old)
        #expect(decoded.baseline.isEmpty)
        #expect(decoded.rows == data.rows)
    }

    @Test func baselineRoundTrips() throws {
        let data = Fixtures.data([Fixtures.row(agent: "a", median: 1, seed: 1)], baseline: [Fixtures.row(agent: "a", median: 2, seed: 2, benchmarkID: "old")])
        let back = try CanonicalJSON.decode(ReportData.self, from: CanonicalJSON.encode(data))
        #expect(back == data)
        #expect(back.baseline.first?.benchmarkID == "old")
    }
}
