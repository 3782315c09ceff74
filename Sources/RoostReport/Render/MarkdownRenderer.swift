import Foundation

/// Markdown for terminals and pull requests: the recommendation first, then
/// the matrix, what was excluded and why, and the comparison with the baseline.
public enum MarkdownRenderer {
    public static func render(_ reports: [ModelReport]) -> String {
        guard reports.count != 1 else { return "# Roost report\n\n" + render(reports[0]) }
        var out = "# Roost report: \(reports.count) models\n\n"
        for r in reports { out += render(r) + "\n" }
        return out
    }

    public static func render(_ r: ModelReport) -> String {
        let e = Escape.markdown
        var out = "## \(e(r.model.name))\n\n"
        out += "Model `\(r.model.sha256.prefix(12))` · \(ReportText.bytes(r.model.bytes)) · generated \(NumberFormat.date(r.generatedAt))\n\n"
        if let labels = ReportText.labels(of: r) { out += "Labels: \(e(labels))\n\n" }
        let rec = r.recommendation
        out += "**Recommendation** (objective: \(rec.objective.rawValue); constraints: \(e(ReportText.constraints(rec.constraints)))). "
        out += e(rec.summary) + "\n"
        for note in rec.significance?.notes ?? [] { out += "\n_Note: \(e(note))._\n" }
        guard !r.rows.isEmpty else { return out + excluded(r) + unreadable(r) }
        out += "\n| | target | hardware | p50 ms [95% CI] | p99 ms [95% CI] | inferences/s | peak MiB | cold start ms | max abs err | validity | tries | $/h | $/1M inf | J/inf |\n"
        out += "|---|---|---|---:|---:|---:|---:|---:|---:|---|---:|---:|---:|---:|\n"
        for row in r.rows {
            let role = r.role(of: row).map { "**\($0)**" } ?? (row.eligible ? "" : "excluded")
            let cells = [
                role, e(row.label), e(row.hardware), ReportText.ci(row.p50Ms, row.p50CI), ReportText.p99(row),
                NumberFormat.one(row.throughput), NumberFormat.one(row.peakMemoryMB), ReportText.coldStart(row),
                NumberFormat.error(row.maxAbsError), e(ReportText.validity(row)), String(row.tries), NumberFormat.usd(row.pricePerHour),
                NumberFormat.usd(row.costPerMillion), ReportText.energy(row),
            ]
            out += "| " + cells.joined(separator: " | ") + " |\n"
        }
        out += excluded(r)
        out += unreadable(r)
        out += history(r)
        if let note = r.tradeoff.note { out += "\n_\(e(note))_\n" }
        if !r.tradeoff.frontier.isEmpty {
            out += "\nPareto frontier (\(ReportText.tradeoffTitle(r.tradeoff.axes).lowercased())): "
            out += r.tradeoff.frontier.map { id in e(r.row(id: id)?.label ?? id) }.joined(separator: " → ") + "\n"
        }
        return out
    }

    static func excluded(_ r: ModelReport) -> String {
        let list = r.recommendation.excluded
        guard !list.isEmpty else { return "" }
        var out = "\n### Excluded from the recommendation\n\n"
        for x in list {
            out += "- \(Escape.markdown(x.label)): " + x.exclusions.map { Escape.markdown($0.message) }.joined(separator: "; ") + "\n"
        }
        return out
    }

    static func unreadable(_ r: ModelReport) -> String {
        guard !r.unreadable.isEmpty else { return "" }
        var out = "\n### Unreadable results (left out)\n\n"
        for u in r.unreadable { out += "- job `\(Escape.markdown(u.jobID))`: \(Escape.markdown(u.reason))\n" }
        return out
    }

    static func history(_ r: ModelReport) -> String {
        guard let h = r.history else { return "" }
        var out = "\n### Compared with benchmark \(h.baselineBenchmarkIDs.map { "`\($0.prefix(8))`" }.joined(separator: ", "))\n\n"
        if let labels = ReportText.baselineLabels(h) { out += "Baseline labels: \(Escape.markdown(labels))\n\n" }
        out += "\(h.regressions.count) regression\(h.regressions.count == 1 ? "" : "s"), \(h.improvements.count) improvement\(h.improvements.count == 1 ? "" : "s") "
        out += "(p50 ratio beyond \(NumberFormat.plain(h.regressionRatio))× and Mann–Whitney p < \(NumberFormat.plain(h.alpha))).\n\n"
        if !h.changes.isEmpty {
            out += "| target | baseline p50 ms | p50 ms | ratio | p | verdict |\n|---|---:|---:|---:|---:|---|\n"
            for c in h.changes {
                let verdict = c.verdict == .regression ? "**REGRESSION**" : ReportText.change(c)
                out += "| \(Escape.markdown(c.label)) | \(NumberFormat.ms(c.baselineP50Ms)) | \(NumberFormat.ms(c.currentP50Ms)) | "
                out += "\(NumberFormat.ratio(c.p50Ratio)) | \(c.test.map { NumberFormat.p($0.pValue) } ?? "–") | \(verdict) |\n"
            }
        }
        if !h.newRows.isEmpty { out += "\nNew since the baseline: \(h.newRows.map(Escape.markdown).joined(separator: ", ")).\n" }
        if !h.missingRows.isEmpty { out += "\nIn the baseline but not measured now: \(h.missingRows.map(Escape.markdown).joined(separator: ", ")).\n" }
        return out
    }
}
