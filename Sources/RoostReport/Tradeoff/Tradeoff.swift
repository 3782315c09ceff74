/// The tail-latency trade-off the scatter chart draws: p99 against cost per
/// million inferences, or against throughput when prices are missing, with
/// the Pareto frontier of the eligible targets marked.
public struct Tradeoff: Codable, Sendable, Equatable {
    public enum Axes: String, Codable, Sendable {
        /// x: p99 ms, y: USD per 1M inferences (both lower is better).
        case costVsP99 = "cost-vs-p99"
        /// x: p99 ms, y: inferences/s (higher is better).
        case throughputVsP99 = "throughput-vs-p99"
        /// Nothing to draw; `note` says why.
        case none
    }

    public struct Point: Codable, Sendable, Equatable {
        public var id: String
        public var label: String
        public var p99Ms: Double
        public var y: Double
        public var eligible: Bool
        public var onFrontier: Bool
    }

    public var axes: Axes
    public var points: [Point]
    /// Frontier ids, by increasing p99.
    public var frontier: [String]
    /// Why the chart is absent or shows throughput instead of cost.
    public var note: String?

    public init(rows: [MatrixRow]) {
        guard !rows.isEmpty else {
            self.init(axes: .none, points: [], frontier: [], note: "No measured targets, so there is no trade-off to chart.")
            return
        }
        let unpriced = rows.filter { $0.costPerMillion == nil }
        let axes: Axes = unpriced.isEmpty ? .costVsP99 : .throughputVsP99
        let note = unpriced.isEmpty ? nil
            : "\(unpriced.count) of \(rows.count) targets have no price per hour (\(unpriced.map(\.key.agent).uniqued().joined(separator: ", "))), "
                + "so the chart shows throughput against p99 instead of cost."
        var points = rows.map { row in
            Point(id: row.id, label: row.label, p99Ms: row.p99Ms,
                  y: axes == .costVsP99 ? row.costPerMillion! : row.throughput, eligible: row.eligible, onFrontier: false)
        }
        let eligible = points.indices.filter { points[$0].eligible }
        let onFrontier = ParetoFrontier.indices(x: eligible.map { points[$0].p99Ms }, y: eligible.map { points[$0].y },
                                                higherYIsBetter: axes == .throughputVsP99)
        for k in onFrontier { points[eligible[k]].onFrontier = true }
        let frontier = points.filter(\.onFrontier).sorted { ($0.p99Ms, $0.id) < ($1.p99Ms, $1.id) }.map(\.id)
        self.init(axes: axes, points: points, frontier: frontier, note: note)
    }

    init(axes: Axes, points: [Point], frontier: [String], note: String?) {
        self.axes = axes
        self.points = points
        self.frontier = frontier
        self.note = note
    }
}
