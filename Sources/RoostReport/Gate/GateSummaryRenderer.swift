import Foundation
import RoostCore

/// The gate as Markdown for a CI step summary (`$GITHUB_STEP_SUMMARY` and the
/// like): the verdict first, then one row per target with the figures.
public enum GateSummaryRenderer {
    public static func render(_ outcome: GateOutcome) -> String {
        var md = "## Roost: \(cell(outcome.model.name)) — \(outcome.headline)\n\n"
        md += "Benchmark `\(outcome.benchmarkID)`"
        if !outcome.labels.isEmpty { md += " (\(cell(BenchmarkLabels.text(outcome.labels))))" }
        if let base = outcome.baselineBenchmarkID {
            md += " against baseline `\(base)`"
            if let labels = outcome.baselineLabels, !labels.isEmpty { md += " (\(cell(BenchmarkLabels.text(labels))))" }
        } else if let reference = outcome.baselineReference {
            md += ", no baseline: no earlier benchmark of this model matches `\(cell(reference))` (nothing to compare, so nothing regressed)"
        } else {
            md += ", no baseline"
        }
        md += String(format: ". A regression is a p50 above ×%.3f of the baseline's that is also significant (Mann–Whitney, α = %.3g)", outcome.regressionRatio, outcome.alpha)
        md += outcome.failOnRegression ? "; regressions fail this run.\n\n" : "; regressions are reported, not failed (no --fail-on-regression).\n\n"
        md += "| result | agent | engine | target | p50 ms | baseline p50 ms | ratio | p | detail |\n"
        md += "|---|---|---|---|---:|---:|---:|---:|---|\n"
        for c in outcome.cases {
            let mark = outcome.fails(c) ? "❌ \(c.outcome.rawValue)" : c.outcome == .regression ? "⚠️ regression" : "✅ passed"
            let ratio = c.ratio.map { String(format: "×%.3f", $0) } ?? "–"
            let p = c.pValue.map { String(format: "%.3g", $0) } ?? "–"
            md += "| \(mark) | \(cell(c.agent)) | \(cell(c.engine)) | \(cell(c.target)) | \(NumberFormat.ms(c.p50Ms)) | \(NumberFormat.ms(c.baselineP50Ms)) | \(ratio) | \(p) | \(cell(c.message)) |\n"
        }
        md += "\nExit code \(outcome.exitCode.rawValue): 0 passed, 3 regression, 4 accuracy failure, 5 no valid result, 1 other errors.\n"
        return md
    }

    /// Table cells: no pipes or line breaks from user-chosen names.
    static func cell(_ s: String) -> String {
        s.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: " ").replacingOccurrences(of: "\r", with: " ")
    }
}
