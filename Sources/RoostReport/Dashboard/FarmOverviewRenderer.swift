import Foundation

/// The scheduler's `/` page: agents, queue depth and recent benchmarks, with
/// each model linking to `/reports/<name>`. Self-contained (no scripts or
/// external assets); it refreshes itself with a meta tag.
public enum FarmOverviewRenderer {
    /// `refreshSeconds` nil leaves out the auto-refresh.
    public static func html(_ o: FarmOverview, refreshSeconds: Int? = 2) -> String {
        let e = Escape.html
        var body = "<h2>Agents (\(o.agents.count))</h2>\n"
        if o.agents.isEmpty {
            body += "<p class=\"note\">No agents enrolled yet.</p>\n"
        } else {
            body += "<table><thead><tr><th>name</th><th>state</th><th>health</th><th>last heartbeat</th><th>hardware</th></tr></thead><tbody>\n"
            for a in o.agents {
                let beat = a.lastHeartbeat.map { "<span title=\"\(e(NumberFormat.date($0)))\">\(e(age(of: $0, at: o.generatedAt)))</span>" } ?? "never"
                body += "<tr><td>\(e(a.name))</td><td class=\"state \(e(cssClass(a.state)))\">\(e(a.state))</td><td>\(e(a.health ?? "-"))</td><td>\(beat)</td><td>\(e(a.hardware))</td></tr>\n"
            }
            body += "</tbody></table>\n"
        }
        body += "<h2>Queue</h2>\n<table><thead><tr>" + o.queue.map { "<th>\(e($0.state))</th>" }.joined() + "</tr></thead><tbody><tr>"
        body += o.queue.map { "<td class=\"num\">\($0.jobs)</td>" }.joined() + "</tr></tbody></table>\n"
        body += "<h2>Recent benchmarks</h2>\n"
        if o.recentBenchmarks.isEmpty {
            body += "<p class=\"note\">No benchmarks yet.</p>\n"
        } else {
            body += "<table><thead><tr><th>model</th><th>created</th><th>jobs done</th><th>state</th><th>benchmark</th></tr></thead><tbody>\n"
            for b in o.recentBenchmarks {
                body += "<tr><td><a href=\"/reports/\(e(Escape.urlPathSegment(b.modelName)))\">\(e(b.modelName))</a></td>"
                body += "<td>\(e(NumberFormat.date(b.createdAt)))</td><td class=\"num\">\(b.jobsDone)/\(b.jobsTotal)</td>"
                body += "<td class=\"state \(e(cssClass(b.state)))\">\(e(b.state))</td><td><code>\(e(String(b.benchmarkID.prefix(8))))</code></td></tr>\n"
            }
            body += "</tbody></table>\n"
        }
        let refresh = refreshSeconds.map { "<meta http-equiv=\"refresh\" content=\"\(max(1, $0))\">\n" } ?? ""
        return """
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><title>Roost farm</title>
            \(refresh)<style>\(style)</style></head>
            <body><h1>Roost farm</h1><p class="note">As of \(e(NumberFormat.date(o.generatedAt)))</p>
            \(body)</body></html>

            """
    }

    static let style = """
        body{font-family:system-ui,sans-serif;margin:2rem;color:#222}table{border-collapse:collapse;margin:.5rem 0 1.5rem}
        th,td{padding:.3rem .7rem;border-bottom:1px solid #ddd;text-align:left}td.num{text-align:right;font-variant-numeric:tabular-nums}
        .note{color:#666}.state.active,.state.succeeded{color:#2a7a3a}.state.degraded,.state.partial,.state.running{color:#b9770e}
        .state.quarantined,.state.failed{color:#c0392b;font-weight:bold}.state.offline,.state.paused,.state.draining{color:#888}
        """

    /// "12 s ago", "5 min ago", "3 h ago", "2 d ago".
    static func age(of date: Date, at now: Date) -> String {
        let s = max(0, now.timeIntervalSince(date))
        return s < 120 ? "\(Int(s)) s ago" : s < 7200 ? "\(Int(s / 60)) min ago" : s < 172_800 ? "\(Int(s / 3600)) h ago" : "\(Int(s / 86400)) d ago"
    }

    /// State names become class names only when they are plain words.
    static func cssClass(_ state: String) -> String { state.allSatisfy { $0.isLetter || $0 == "-" } ? state : "other" }
}
