import Foundation

/// One self-contained HTML page (no external assets). Every user-controlled
/// string is escaped.
public enum HTMLRenderer {
    public static func render(_ reports: [ComparisonReport], title: String = "Roost comparison report") -> String {
        var body = ""
        for r in reports { body += section(r) }
        return """
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><title>\(escape(title))</title>
            <style>
            body{font-family:system-ui,sans-serif;margin:2rem;color:#222}
            table{border-collapse:collapse;margin:1rem 0}th,td{padding:.35rem .7rem;border-bottom:1px solid #ddd;text-align:left}
            td.num{text-align:right;font-variant-numeric:tabular-nums}tr.fastest{background:#eef8ee}
            .bar{background:#4a7;height:.8rem;display:inline-block}code{color:#555}
            </style></head>
            <body><h1>\(escape(title))</h1>
            \(body)
            </body></html>

            """
    }

    static func section(_ r: ComparisonReport) -> String {
        var s = "<section><h2>\(escape(r.model.name))</h2><p>Model <code>\(escape(String(r.model.sha256.prefix(12))))</code></p>\n"
        guard !r.rows.isEmpty else { return s + "<p><em>No results yet.</em></p></section>\n" }
        let maxP50 = r.rows.map(\.p50Ms).max() ?? 1
        s += "<table><thead><tr><th></th><th>agent</th><th>hardware</th><th>target</th><th>BLAS core</th><th>p50 ms</th><th>p90 ms</th><th>p99 ms</th><th>throughput /s</th><th>$/1M inf</th><th>validity</th><th>p50</th></tr></thead><tbody>\n"
        for row in r.rows {
            let width = Int((row.p50Ms / maxP50 * 200).rounded())
            s += "<tr class=\"\(row.fastest ? "fastest" : "")\"><td>\(row.fastest ? "<strong>fastest</strong>" : "")</td>"
            s += "<td>\(escape(row.agent))</td><td>\(escape(row.hardware))</td><td>\(escape(row.target))</td><td>\(escape(row.blasCore ?? "-"))</td>"
            s += "<td class=\"num\">\(MarkdownRenderer.fmt(row.p50Ms))</td><td class=\"num\">\(MarkdownRenderer.fmt(row.p90Ms))</td><td class=\"num\">\(MarkdownRenderer.fmt(row.p99Ms))</td>"
            s += "<td class=\"num\">\(String(format: "%.1f", row.throughput))</td><td class=\"num\">\(row.costPerMillion.map { String(format: "%.4f", $0) } ?? "unknown")</td>"
            s += "<td>\(row.valid ? "VALID" : "INVALID: " + escape(row.invalidReasons.joined(separator: "; ")))</td>"
            s += "<td><span class=\"bar\" style=\"width:\(width)px\"></span></td></tr>\n"
        }
        return s + "</tbody></table></section>\n"
    }

    public static func escape(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.count)
        for c in s {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(c)
            }
        }
        return out
    }
}
