import Testing
@testable import RoostReport

@Suite struct CostModelTests {
    @Test func costPerMillionIsTimeForAMillionTimesThePricePerSecond() throws {
        // 250 inferences/s: 1e6 take 4000 s; at $0.36/h a second costs $0.0001, so $0.40.
        let cost = try #require(CostModel.costPerMillion(throughput: 250, pricePerHour: 0.36))
        #expect(abs(cost - 0.40) < 1e-12)
        #expect(abs(try #require(CostModel.costPerMillion(throughput: 1000, pricePerHour: 3.6)) - 1.0) < 1e-12)
    }

    @Test func unknownWithoutAPriceOrThroughput() {
        #expect(CostModel.costPerMillion(throughput: 250, pricePerHour: nil) == nil)
        #expect(CostModel.costPerMillion(throughput: 0, pricePerHour: 1) == nil)
        #expect(CostModel.costPerMillion(throughput: .infinity, pricePerHour: 1) == nil)
    }

    @Test func matrixRowsCarryTheCostAndPrintUnknownWithoutAPrice() throws {
        let report = Fixtures.report([
            Fixtures.row(agent: "priced", median: 4, seed: 1, price: 0.1),
            Fixtures.row(agent: "free-range", median: 2, seed: 2, price: nil),
        ])
        let priced = try #require(report.rows.first { $0.key.agent == "priced" })
        #expect(abs(try #require(priced.costPerMillion) - 1e6 / priced.throughput * 0.1 / 3600) < 1e-12)
        // The fixture's throughput is 1000 / mean latency, about 250/s at a 4 ms median.
        #expect(abs(priced.throughput - 250) < 5)
        #expect(report.rows.first { $0.key.agent == "free-range" }?.costPerMillion == nil)
        let md = ReportRenderer.render(report, format: .md)
        #expect(md.contains("unknown"))
    }
}
