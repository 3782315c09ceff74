import Foundation

/// One self-contained page: inline CSS and SVG, no scripts, no external
/// assets, so it can be mailed, attached to a CI run or opened offline.
/// Every user-controlled string goes through `Escape.html`.
public enum HTMLRenderer {
    public static func render(_ reports: [ModelReport]) -> String {
        let title = reports.count == 1 ? "Roost report: \(reports[0].model.name)" : "Roost report: \(reports.count) models"
        var body = ""
        if reports.count > 1 {
            body += "<nav><ol>" + reports.enumerated().map { i, r in
                "<li><a href=\"#model-\(i)\">\(Escape.html(r.model.name))</a> — \(Escape.html(r.recommendation.best?.label ?? "no recommendation"))</li>"
            }.joined() + "</ol></nav>\n"
        }
        for (i, r) in reports.enumerated() { body += section(r, anchor: "model-\(i)") }
        return """
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><title>\(Escape.html(title))</title>
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <style>\(style)</style></head>
            <body><h1>\(Escape.html(title))</h1>
            \(body)</body></html>

            """
    }

    static let style = """
        body{font-family:system-ui,sans-serif;margin:2rem;color:#222;max-width:1400px}
        table{border-collapse:collapse;margin:1rem 0;font-size:.9rem}th,td{padding:.3rem .6rem;border-bottom:1px solid #ddd;text-align:left;vertical-align:top}
        td.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}tr.best{background:#eaf6ea}tr.runner-up{background:#f4f8fc}
        tr.excluded{color:#888}.rec{border-left:4px solid #2a7a3a;background:#f6fbf6;padding:.6rem 1rem;margin:1rem 0}
        .rec.none{border-color:#c0392b;background:#fcf3f2}.regression{color:#c0392b;font-weight:bold}.improvement{color:#2a7a3a}
        code{color:#555}.note{color:#666;font-style:italic}figure{margin:1rem 0}figcaption{font-weight:600;margin-bottom:.3rem}
        """

    static func section(_ r: ModelReport, anchor: String) -> String {
        let e = Escape.html
        var s = "<section id=\"\(anchor)\"><h2>\(e(r.model.name))</h2>\n"
        s += "<p>Model <code>\(e(String(r.model.sha256.prefix(12))))</code> · \(e(ReportText.bytes(r.model.bytes))) · generated \(e(NumberFormat.date(r.generatedAt)))</p>\n"
        if let labels = ReportText.labels(of: r) { s += "<p>Labels: \(e(labels))</p>\n" }
        s += recommendation(r)
        guard !r.rows.isEmpty else { return s + excluded(r) + unreadable(r) + "</section>\n" }
        s += matrix(r)
        s += excluded(r)
        s += unreadable(r)
        s += history(r)
        if let svg = LatencyDistributionChart.svg(r) {
            s += "<figure><figcaption>Latency distribution per target</figcaption>\n\(svg)\n</figure>\n"
        }
        if let svg = TradeoffChart.svg(r) {
            s += "<figure><figcaption>\(e(ReportText.tradeoffTitle(r.tradeoff.axes)))</figcaption>\n\(svg)\n</figure>\n"
        }
        if let note = r.tradeoff.note { s += "<p class=\"note\">\(e(note))</p>\n" }
        return s + "</section>\n"
    }

    static func recommendation(_ r: ModelReport) -> String {
        let rec = r.recommendation
        var s = "<div class=\"rec\(rec.best == nil ? " none" : "")\"><strong>Recommendation</strong> "
        s += "(objective: \(rec.objective.rawValue); constraints: \(Escape.html(ReportText.constraints(rec.constraints)))). "
        s += Escape.html(rec.summary)
        for note in rec.significance?.notes ?? [] { s += "<br><span class=\"note\">Note: \(Escape.html(note)).</span>" }
        return s + "</div>\n"
    }

    static func matrix(_ r: ModelReport) -> String {
        let e = Escape.html
        var s = "<table><thead><tr><th></th><th>target</th><th>hardware</th><th>tags</th><th>p50 ms [95% CI]</th><th>p99 ms [95% CI]</th>"
        s += "<th>inferences/s</th><th>peak MiB</th><th>cold start ms</th><th>max abs err</th><th>validity</th><th>tries</th><th>$/h</th><th>$/1M inf</th><th>J/inference</th></tr></thead><tbody>\n"
        for row in r.rows {
            let role = r.role(of: row)
            let cls = role ?? (row.eligible ? "" : "excluded")
            let tags = row.tags.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ", ")
            s += "<tr class=\"\(cls)\"><td>\(role.map { "<strong>\($0)</strong>" } ?? (row.eligible ? "" : "excluded"))</td>"
            s += "<td>\(e(row.label))<br><code>\(e(row.target))</code></td><td>\(e(row.hardware))</td><td>\(e(tags))</td>"
            s += "<td class=\"num\">\(e(ReportText.ci(row.p50Ms, row.p50CI)))</td><td class=\"num\">\(e(ReportText.p99(row)))</td>"
            s += "<td class=\"num\">\(NumberFormat.one(row.throughput))</td><td class=\"num\">\(NumberFormat.one(row.peakMemoryMB))</td>"
            s += "<td class=\"num\">\(e(ReportText.coldStart(row)))</td><td class=\"num\">\(NumberFormat.error(row.maxAbsError))</td>"
            s += "<td title=\"\(e(ReportText.validity(row)))\">\(row.valid ? "VALID" : "INVALID (\(max(row.validityReasons.count, 1)))")</td>"
            s += "<td class=\"num\">\(row.tries)</td><td class=\"num\">\(NumberFormat.usd(row.pricePerHour))</td>"
            s += "<td class=\"num\">\(NumberFormat.usd(row.costPerMillion))</td>"
            s += "<td class=\"num\" title=\"\(e(row.energySource ?? "no energy counter"))\">\(e(ReportText.energy(row)))</td></tr>\n"
        }
        return s + "</tbody></table>\n"
    }

    static func excluded(_ r: ModelReport) -> String {
        let list = r.recommendation.excluded
        guard !list.isEmpty else { return "" }
        var s = "<h3>Excluded from the recommendation</h3><ul>\n"
        for x in list {
            s += "<li>\(Escape.html(x.label)): " + x.exclusions.map { Escape.html($0.message) }.joined(separator: "; ") + "</li>\n"
        }
        return s + "</ul>\n"
    }

    static func unreadable(_ r: ModelReport) -> String {
        guard !r.unreadable.isEmpty else { return "" }
        var s = "<h3>Unreadable results (left out)</h3><ul class=\"unreadable\">\n"
        for u in r.unreadable { s += "<li>job <code>\(Escape.html(u.jobID))</code>: \(Escape.html(u.reason))</li>\n" }
        return s + "</ul>\n"
    }

    static func history(_ r: ModelReport) -> String {
        guard let h = r.history else { return "" }
        let e = Escape.html
        var s = "<h3>Compared with benchmark \(e(h.baselineBenchmarkIDs.map { String($0.prefix(8)) }.joined(separator: ", ")))</h3>\n"
        if let labels = ReportText.baselineLabels(h) { s += "<p>Baseline labels: \(e(labels))</p>\n" }
        s += "<p>\(h.regressions.count) regression(s), \(h.improvements.count) improvement(s): p50 ratio beyond \(NumberFormat.plain(h.regressionRatio))× "
        s += "and Mann–Whitney p &lt; \(NumberFormat.plain(h.alpha)).</p>\n"
        if !h.changes.isEmpty {
            s += "<table><thead><tr><th>target</th><th>baseline p50 ms</th><th>p50 ms</th><th>ratio</th><th>p</th><th>verdict</th></tr></thead><tbody>\n"
            for c in h.changes {
                s += "<tr><td>\(e(c.label))</td><td class=\"num\">\(NumberFormat.ms(c.baselineP50Ms))</td><td class=\"num\">\(NumberFormat.ms(c.currentP50Ms))</td>"
                s += "<td class=\"num\">\(e(NumberFormat.ratio(c.p50Ratio)))</td><td class=\"num\">\(c.test.map { NumberFormat.p($0.pValue) } ?? "–")</td>"
                s += "<td class=\"\(c.verdict.rawValue)\">\(e(ReportText.change(c)))</td></tr>\n"
            }
            s += "</tbody></table>\n"
        }
        if !h.newRows.isEmpty { s += "<p>New since the baseline: \(e(h.newRows.joined(separator: ", "))).</p>\n" }
        if !h.missingRows.isEmpty { s += "<p>In the baseline but not measured now: \(e(h.missingRows.joined(separator: ", "))).</p>\n" }
        return s
    }
}
