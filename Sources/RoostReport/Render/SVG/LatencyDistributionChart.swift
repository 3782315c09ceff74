/// One strip per target: a histogram of the raw samples as shading, a box
/// from the 25th to the 75th percentile, the median, whiskers from the 1st to
/// the 99th percentile and a red p99 tick. Shape matters as much as the
/// median: two targets with equal p50 can have very different tails.
enum LatencyDistributionChart {
    static let width = 820.0
    static let labelWidth = 250.0
    static let rowHeight = 30.0
    static let bins = 60

    /// Nil when there is nothing to draw.
    static func svg(_ report: ModelReport) -> String? {
        let rows = report.rows
        guard !rows.isEmpty else { return nil }
        let lows = rows.map { $0.distribution?.p1 ?? $0.p50Ms }, highs = rows.map { $0.distribution?.p99 ?? $0.p99Ms }
        let lo = lows.min()!, hi = highs.max()!
        let pad = (hi - lo) * 0.04
        let top = 8.0, plotBottom = top + rowHeight * Double(rows.count)
        let scale = ChartScale(lower: max(lo - pad, lo > 0 ? lo * 0.9 : lo - pad), upper: hi + pad,
                               start: labelWidth, end: width - 16)
        var c = SVGCanvas(width: width, height: plotBottom + 44, label: "Latency distribution per target of \(report.model.name)")

        for tick in scale.ticks() {
            let x = scale(tick)
            c.line(x, top, x, plotBottom, stroke: "#e4e4e4")
            c.text(x, plotBottom + 14, ChartScale.label(tick), anchor: "middle", size: 10, fill: "#555")
        }
        c.line(labelWidth, plotBottom, width - 16, plotBottom, stroke: "#888")
        c.text((labelWidth + width) / 2, plotBottom + 32,
               "latency ms\(scale.logarithmic ? " (log scale)" : "") · box 25–75 % · whiskers 1–99 % · red tick p99 · shading: histogram",
               anchor: "middle", size: 10, fill: "#555")

        for (i, row) in rows.enumerated() {
            let y0 = top + rowHeight * Double(i), mid = y0 + rowHeight / 2
            let role = report.role(of: row)
            let colour = row.eligible ? (role == "best" ? "#2a7a3a" : "#33669a") : "#999"
            let name = SVGCanvas.truncated(row.label, to: 38) + (row.eligible ? "" : " (excluded)")
            c.text(labelWidth - 8, mid + 4, name, anchor: "end", weight: role == "best" ? "bold" : nil,
                   fill: row.eligible ? "#222" : "#888", tooltip: "\(row.label) — \(row.hardware)")
            histogram(row, scale: scale, y: y0 + 2, height: rowHeight - 4, colour: colour, into: &c)
            if let box = row.distribution {
                c.line(scale(box.p1), mid, scale(box.q1), mid, stroke: colour)
                c.line(scale(box.q3), mid, scale(box.p99), mid, stroke: colour)
                c.line(scale(box.p1), mid - 5, scale(box.p1), mid + 5, stroke: colour)
                c.rect(scale(box.q1), mid - 7, scale(box.q3) - scale(box.q1), 14, fill: "#ffffff", opacity: 0.85, stroke: colour)
            }
            c.line(scale(row.p50Ms), mid - 8, scale(row.p50Ms), mid + 8, stroke: colour, width: 2.5)
            c.line(scale(row.p99Ms), mid - 8, scale(row.p99Ms), mid + 8, stroke: "#c0392b", width: 2)
        }
        return c.svg
    }

    /// Shading per bin, darker where more samples fell; samples beyond the axis are not drawn.
    static func histogram(_ row: MatrixRow, scale: ChartScale, y: Double, height: Double, colour: String, into c: inout SVGCanvas) {
        guard !row.samplesMs.isEmpty else { return }
        let x0 = scale.start, x1 = scale.end, w = (x1 - x0) / Double(bins)
        var counts = [Int](repeating: 0, count: bins)
        for s in row.samplesMs where s >= scale.lower && s <= scale.upper {
            counts[min(bins - 1, max(0, Int((scale(s) - x0) / w)))] += 1
        }
        guard let most = counts.max(), most > 0 else { return }
        for (b, n) in counts.enumerated() where n > 0 {
            c.rect(x0 + Double(b) * w, y, w, height, fill: colour, opacity: 0.06 + 0.5 * Double(n) / Double(most))
        }
    }
}
