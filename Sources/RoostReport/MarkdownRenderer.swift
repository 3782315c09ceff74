import Foundation

/// Markdown for terminals and pull requests.
public enum MarkdownRenderer {
    public static func render(_ reports: [ComparisonReport]) -> String {
        var out = "# Roost comparison report\n\n"
        for report in reports { out += render(report) + "\n" }
        return out
    }

    public static func render(_ r: ComparisonReport) -> String {
        var out = "## \(escape(r.model.name))\n\n"
        out += "Model `\(r.model.sha256.prefix(12))` · \(ByteCountFormatter.string(fromByteCount: Int64(r.model.bytes), countStyle: .file))\n\n"
        guard !r.rows.isEmpty else { return out + "_No results yet._\n" }
        out += "| | agent | hardware | target | engine | BLAS core | p50 ms | p90 ms | p99 ms | throughput /s | $/1M inf | samples | validity |\n"
        out += "|---|---|---|---|---|---|---:|---:|---:|---:|---:|---:|---|\n"
        for row in r.rows {
            let cells = [
                row.fastest ? "**fastest**" : "", escape(row.agent), escape(row.hardware), row.target, row.engine, row.blasCore ?? "-",
                fmt(row.p50Ms), fmt(row.p90Ms), fmt(row.p99Ms), String(format: "%.1f", row.throughput),
                row.costPerMillion.map { String(format: "%.4f", $0) } ?? "unknown", String(row.samples),
                row.valid ? "VALID" : "INVALID: " + escape(row.invalidReasons.joined(separator: "; ")),
            ]
            out += "| " + cells.joined(separator: " | ") + " |\n"
        }
        if let best = r.fastest, let runnerUp = r.rows.first(where: { !$0.fastest && $0.valid }) {
            out += "\nFastest: **\(escape(best.agent))** (p50 \(fmt(best.p50Ms)) ms, \(String(format: "%.2f", runnerUp.p50Ms / best.p50Ms))× faster than \(escape(runnerUp.agent))).\n"
        }
        return out
    }

    static func fmt(_ ms: Double) -> String { ms >= 100 ? String(format: "%.1f", ms) : ms >= 1 ? String(format: "%.3f", ms) : String(format: "%.4f", ms) }

    /// Table cells must not break the table.
    static func escape(_ s: String) -> String { s.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: " ") }
}
