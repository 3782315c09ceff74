import Foundation

/// One line per matrix row, every model in one table, for spreadsheets and
/// scripts. RFC 4180: a header line, CRLF line ends, fields quoted only when
/// they must be. Missing numbers (no price, no memory reading) are empty cells,
/// not "unknown", so numeric columns stay numeric.
public enum CSVRenderer {
    public static let columns = [
        "model", "model_sha256", "row_id", "agent", "agent_state", "hardware", "target", "engine", "threads", "batch", "scenario",
        "samples", "p50_ms", "p50_ci_low", "p50_ci_high", "p90_ms", "p99_ms", "p99_ci_low", "p99_ci_high", "p99_is_estimate",
        "mean_ms", "cv", "throughput_per_s", "peak_memory_mib", "cold_start_ms", "cold_start_source", "max_abs_error",
        "max_rel_error", "valid", "validity_reasons", "tries", "price_per_hour", "cost_per_million", "eligible", "exclusions",
        "recommendation", "change", "p50_ratio_to_baseline", "benchmark_id", "job_id", "finished_at",
    ]

    public static func render(_ reports: [ModelReport]) -> String {
        var lines = [columns.joined(separator: ",")]
        for r in reports {
            for row in r.rows { lines.append(line(row, in: r).map(Escape.csv).joined(separator: ",")) }
        }
        return lines.joined(separator: "\r\n") + "\r\n"
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
            String(row.eligible), row.exclusions.map(\.message).joined(separator: "; "), r.role(of: row) ?? "",
            change?.verdict.rawValue ?? "", num(change?.p50Ratio), row.benchmarkID, row.jobID, NumberFormat.date(row.finishedAt),
        ]
        assert(fields.count == columns.count)
        return fields
    }

    /// Shortest round-tripping form; empty when missing.
    static func num(_ v: Double?) -> String { NumberFormat.finite(v).map { "\($0)" } ?? "" }
}
