import Foundation
import RoostCore

/// One line per matrix row, every model in one table, for spreadsheets and
/// scripts. RFC 4180: a header line, CRLF line ends, fields quoted only when
/// they must be. Missing numbers (no price, no memory reading) are empty cells,
/// not "unknown", so numeric columns stay numeric. Every text cell is
/// neutralised for spreadsheets (`Escape.csvText`); numeric cells are Roost's
/// own formatted numbers and are left as they are. A stored result that could
/// not be read is a line of its own: `row_id` "unreadable", its `job_id`, and
/// the reason in `validity_reasons`.
public enum CSVRenderer {
    public static let columns = [
        "model", "model_sha256", "row_id", "agent", "agent_state", "hardware", "target", "engine", "threads", "batch", "scenario",
        "samples", "p50_ms", "p50_ci_low", "p50_ci_high", "p90_ms", "p99_ms", "p99_ci_low", "p99_ci_high", "p99_is_estimate",
        "mean_ms", "cv", "throughput_per_s", "peak_memory_mib", "cold_start_ms", "cold_start_source", "max_abs_error",
        "max_rel_error", "valid", "validity_reasons", "tries", "price_per_hour", "cost_per_million", "joules_per_inference", "energy_source", "eligible", "exclusions",
        "recommendation", "change", "p50_ratio_to_baseline", "benchmark_id", "job_id", "finished_at",
    ]

    /// Columns whose cells are numbers (or booleans) Roost formats itself.
    public static let numericColumns: Set<String> = [
        "threads", "batch", "samples", "p50_ms", "p50_ci_low", "p50_ci_high", "p90_ms", "p99_ms", "p99_ci_low", "p99_ci_high",
        "p99_is_estimate", "mean_ms", "cv", "throughput_per_s", "peak_memory_mib", "cold_start_ms", "max_abs_error", "max_rel_error",
        "valid", "price_per_hour", "cost_per_million", "joules_per_inference", "eligible", "p50_ratio_to_baseline",
    ]
    private static let isNumeric = columns.map { numericColumns.contains($0) }

    public static func render(_ reports: [ModelReport]) -> String {
        var lines = [columns.joined(separator: ",")]
        for r in reports {
            for row in r.rows { lines.append(cells(line(row, in: r))) }
            for u in r.unreadable { lines.append(cells(unreadable(u, in: r))) }
        }
        return lines.joined(separator: "\r\n") + "\r\n"
    }

    /// One CSV line: text cells neutralised and quoted, numeric cells as they are.
    static func cells(_ fields: [String]) -> String {
        zip(fields, isNumeric).map { field, numeric in numeric ? Escape.csv(field) : Escape.csvText(field) }.joined(separator: ",")
    }

    static func unreadable(_ u: UnreadableRow, in r: ModelReport) -> [String] {
        var fields = [String](repeating: "", count: columns.count)
        func set(_ column: String, _ value: String) { if let i = columns.firstIndex(of: column) { fields[i] = value } }
        set("model", r.model.name)
        set("model_sha256", r.model.sha256)
        set("row_id", "unreadable")
        set("valid", "false")
        set("eligible", "false")
        set("validity_reasons", "unreadable: \(u.reason)")
        set("job_id", u.jobID)
        return fields
    }

    static func line(_ row: MatrixRow, in r: ModelReport) -> [String] {
        let change = r.change(of: row)
        let fields: [String] = [
            r.model.name, r.model.sha256, row.id, row.key.agent, row.agentState, row.hardware, row.target, row.key.engine,
            String(row.key.threads), String(row.key.batch), row.key.scenario, String(row.samples),
            num(row.p50Ms), num(row.p50CI?.low), num(row.p50CI?.high), num(row.p90Ms), num(row.p99Ms), num(row.p99CI?.low),
            num(row.p99CI?.high), String(row.p99IsEstimate), num(row.meanMs), num(row.cv), num(row.throughput),
            num(row.peakMemoryMB), num(row.coldStartMs), row.coldStartSource ?? "", num(row.maxAbsError), num(row.maxRelError),
            String(row.valid), row.validityReasons.joined(separator: "; "), String(row.tries), num(row.pricePerHour), num(row.costPerMillion),
            num(row.joulesPerInference), row.energySource ?? "",
            String(row.eligible), row.exclusions.map(\.message).joined(separator: "; "), r.role(of: row) ?? "",
            change?.verdict.rawValue ?? "", num(change?.p50Ratio), row.benchmarkID, row.jobID, NumberFormat.date(row.finishedAt),
        ]
        assert(fields.count == columns.count)
        return fields
    }

    /// Shortest round-tripping form; empty when missing.
    static func num(_ v: Double?) -> String { NumberFormat.finite(v).map { "\($0)" } ?? "" }
}
