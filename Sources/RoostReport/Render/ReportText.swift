import Foundation
import RoostCore

/// Wording shared by the Markdown and HTML renderers (plain text; each
/// renderer escapes it for its own format).
enum ReportText {
    static func ci(_ value: Double, _ ci: ConfidenceInterval?) -> String {
        guard let ci else { return NumberFormat.ms(value) }
        return "\(NumberFormat.ms(value)) [\(NumberFormat.ms(ci.low, like: value)), \(NumberFormat.ms(ci.high, like: value))]"
    }

    static func p99(_ row: MatrixRow) -> String { ci(row.p99Ms, row.p99CI) + (row.p99IsEstimate ? " (est.)" : "") }

    static func validity(_ row: MatrixRow) -> String {
        row.valid ? (row.steadyTail == nil ? "VALID" : "VALID (steady tail over \(row.tries) tries)") : "INVALID: " + (row.validityReasons.isEmpty ? "no reason given" : row.validityReasons.joined(separator: "; "))
    }

    static func coldStart(_ row: MatrixRow) -> String {
        guard let ms = row.coldStartMs else { return "–" }
        return NumberFormat.ms(ms) + (row.coldStartSource == "artifact-load" ? " (load)" : "")
    }

    /// "0.0123 J", "1.2 mJ"; "not measured" where the machine has no energy counter.
    static func energy(_ row: MatrixRow) -> String {
        guard let j = row.joulesPerInference else { return "not measured" }
        return j >= 0.1 ? String(format: "%.3g J", j) : String(format: "%.3g mJ", j * 1000)
    }

    static func constraints(_ c: Constraints) -> String {
        var parts: [String] = []
        if let v = c.maxP99Ms { parts.append("p99 ≤ \(NumberFormat.plain(v)) ms") }
        if let v = c.minThroughput { parts.append("throughput ≥ \(NumberFormat.plain(v))/s") }
        if let v = c.maxMemoryMB { parts.append("peak memory ≤ \(NumberFormat.plain(v)) MiB") }
        if let e = c.engines, !e.isEmpty { parts.append("engines \(e.joined(separator: ", "))") }
        return parts.isEmpty ? "none" : parts.joined(separator: "; ")
    }

    static func bytes(_ n: Int) -> String { ByteCountFormatter.string(fromByteCount: Int64(n), countStyle: .file) }

    static func change(_ c: RowChange) -> String {
        switch c.verdict {
        case .regression: "REGRESSION"
        case .improvement: "improvement"
        case .unchanged: "unchanged"
        case .untested: "untested (no samples)"
        }
    }

    /// The x-axis phrase of the trade-off chart.
    static func tradeoffTitle(_ axes: Tradeoff.Axes) -> String {
        switch axes {
        case .costVsP99: "Cost per 1M inferences against p99"
        case .throughputVsP99: "Throughput against p99"
        case .none: "Trade-off"
        }
    }

    /// The labels of the benchmarks behind the rows (`commit=abc, branch=main`), one group per benchmark; nil when none.
    static func labels(of r: ModelReport) -> String? {
        let groups = r.rows.compactMap(\.labels).filter { !$0.isEmpty }.map { BenchmarkLabels.text($0) }
        var seen = Set<String>()
        let unique = groups.filter { seen.insert($0).inserted }
        return unique.isEmpty ? nil : unique.joined(separator: "; ")
    }

    /// The baseline benchmarks' labels, nil when none carried any.
    static func baselineLabels(_ h: History) -> String? {
        let groups = h.baselineBenchmarkIDs.compactMap { id in h.baselineLabels?[id].flatMap { $0.isEmpty ? nil : "\(id.prefix(8)): \(BenchmarkLabels.text($0))" } }
        return groups.isEmpty ? nil : groups.joined(separator: "; ")
    }
}
