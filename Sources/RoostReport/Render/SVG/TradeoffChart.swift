/// The scatter of p99 against cost per million inferences (or throughput when
/// prices are missing), with the Pareto frontier of the eligible targets
/// joined: anything off the frontier is beaten on both axes by a point on it.
enum TradeoffChart {
    static let width = 820.0
    static let height = 420.0

    /// Nil when the trade-off has no axes (the report prints `tradeoff.note` instead).
    static func svg(_ report: ModelReport) -> String? {
        let t = report.tradeoff
        guard t.axes != .none, !t.points.isEmpty else { return nil }
        let left = 78.0, right = width - 200, top = 20.0, bottom = height - 56
        let xs = t.points.map(\.p99Ms), ys = t.points.map(\.y)
        let xPad = (xs.max()! - xs.min()!) * 0.08
        let x = ChartScale(lower: max(xs.min()! - xPad, xs.min()! * 0.5), upper: xs.max()! + xPad, start: left, end: right)
        let y = ChartScale(lower: 0, upper: ys.max()! * 1.12, start: bottom, end: top, allowLog: false)
        let yTitle = t.axes == .costVsP99 ? "USD per 1M inferences (lower is better)" : "inferences/s (higher is better)"
        var c = SVGCanvas(width: width, height: height, label: "\(ReportText.tradeoffTitle(t.axes)) for \(report.model.name)")

        for tick in x.ticks() {
            c.line(x(tick), top, x(tick), bottom, stroke: "#eee")
            c.text(x(tick), bottom + 15, ChartScale.label(tick), anchor: "middle", size: 10, fill: "#555")
        }
        for tick in y.ticks() {
            c.line(left, y(tick), right, y(tick), stroke: "#eee")
            c.text(left - 6, y(tick) + 4, ChartScale.label(tick), anchor: "end", size: 10, fill: "#555")
        }
        c.line(left, bottom, right, bottom, stroke: "#888")
        c.line(left, top, left, bottom, stroke: "#888")
        c.text((left + right) / 2, height - 18, "p99 latency ms (lower is better)\(x.logarithmic ? ", log scale" : "")", anchor: "middle", size: 11, fill: "#444")
        c.text(18, (top + bottom) / 2, yTitle, anchor: "middle", size: 11, fill: "#444", rotate: true)

        let frontier = t.frontier.compactMap { id in t.points.first { $0.id == id } }
        if frontier.count > 1 {
            // A staircase: between two frontier points nothing better exists on either axis.
            var steps: [(Double, Double)] = []
            for (i, p) in frontier.enumerated() {
                if i > 0 { steps.append((x(p.p99Ms), y(frontier[i - 1].y))) }
                steps.append((x(p.p99Ms), y(p.y)))
            }
            c.polyline(steps, stroke: "#e67e22", dash: "5 3")
        }
        let unit = t.axes == .costVsP99 ? "$/1M inf" : "inferences/s"
        for p in t.points.sorted(by: { !$0.onFrontier && $1.onFrontier }) {
            let tooltip = "\(p.label): p99 \(NumberFormat.ms(p.p99Ms)) ms, \(ChartScale.label(p.y)) \(unit)\(p.eligible ? "" : " (excluded)")"
            let (fill, stroke, r) = p.onFrontier ? ("#e67e22", "#a04000", 6.5) : p.eligible ? ("#5b8fc7", "#33669a", 5) : ("#ffffff", "#999", 5)
            c.circle(x(p.p99Ms), y(p.y), r: r, fill: fill, stroke: stroke, tooltip: tooltip)
            c.text(x(p.p99Ms) + 9, y(p.y) + 4, SVGCanvas.truncated(p.label, to: 30), size: 10, fill: p.eligible ? "#333" : "#999", tooltip: tooltip, halo: true)
        }
        // Legend.
        let lx = right + 24
        c.circle(lx, top + 10, r: 6.5, fill: "#e67e22", stroke: "#a04000", tooltip: "Pareto frontier")
        c.text(lx + 12, top + 14, "Pareto frontier", size: 11)
        c.circle(lx, top + 32, r: 5, fill: "#5b8fc7", stroke: "#33669a", tooltip: "eligible target")
        c.text(lx + 12, top + 36, "eligible, dominated", size: 11)
        c.circle(lx, top + 54, r: 5, fill: "#ffffff", stroke: "#999", tooltip: "excluded target")
        c.text(lx + 12, top + 58, "excluded", size: 11)
        return c.svg
    }
}
