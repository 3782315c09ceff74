import Testing
@testable import RoostReport

@Suite struct TradeoffTests {
    @Test func paretoFrontierKeepsOnlyUndominatedPoints() {
        // (p99, cost): b is beaten by a on both; d ties c on cost but is slower.
        let x = [1.0, 2.0, 3.0, 4.0, 0.5], y = [5.0, 6.0, 2.0, 2.0, 9.0]
        #expect(ParetoFrontier.indices(x: x, y: y, higherYIsBetter: false) == [0, 2, 4])
        // Throughput (higher is better): the third point is slower and lower than the second.
        #expect(ParetoFrontier.indices(x: [1, 2, 3], y: [10, 20, 15], higherYIsBetter: true) == [0, 1])
    }

    @Test func frontierOverEligibleTargetsByIncreasingP99() {
        let report = Fixtures.report(Fixtures.farm())
        #expect(report.tradeoff.axes == .costVsP99)
        // epyc is fastest but priciest, pi5 slowest but cheapest, graviton between: all three undominated.
        #expect(report.tradeoff.frontier.map { $0.split(separator: "/")[0] } == ["epyc", "graviton", "pi5"])
        #expect(report.tradeoff.points.count == 5)
        #expect(report.tradeoff.points.filter { $0.onFrontier }.allSatisfy { $0.eligible })
    }

    @Test func scalesSwitchToLogForWideDomains() {
        let wide = ChartScale(lower: 0.5, upper: 80, start: 0, end: 100)
        #expect(wide.logarithmic)
        #expect(wide.ticks().contains(1) && wide.ticks().contains(10))
        let narrow = ChartScale(lower: 1.8, upper: 3.4, start: 0, end: 100)
        #expect(!narrow.logarithmic)
        #expect(narrow.ticks() == [2, 2.5, 3])
        #expect(narrow(1.8) == 0 && narrow(3.4) == 100 && narrow(99) == 100)
    }
}
