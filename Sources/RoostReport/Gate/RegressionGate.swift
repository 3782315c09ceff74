import Foundation
import RoostCore

/// The CI gate: judges every job of a finished benchmark against a baseline
/// benchmark with the report's own comparison (`RegressionDetector`: p50 ratio
/// above the threshold *and* Mann–Whitney significant), and checks that each
/// target has a valid result whose outputs match the reference.
public enum RegressionGate {
    /// `requireValid`: an INVALID result (too short, too variable, outside load) counts as no valid result;
    /// without it only a job that ended without a result does (plain `--wait`).
    public static func evaluate(status: BenchmarkStatus, data: ReportData, regressionRatio: Double, alpha: Double = 0.05,
                                failOnRegression: Bool, requireValid: Bool = true,
                                baselineReference: String? = nil) -> GateOutcome {
        let options = ReportOptions(includeInvalid: true, includeUnhealthyAgents: true, alpha: alpha, regressionRatio: regressionRatio)
        let report = ReportBuilder.build(data: data, options: options)
        let cases = status.jobs.map { gateCase($0, model: status.model.name, report: report, hasBaseline: !data.baseline.isEmpty,
                                               ratio: regressionRatio, requireValid: requireValid) }
        let baselineID = data.baseline.first?.benchmarkID
        return GateOutcome(model: status.model, benchmarkID: status.benchmarkID, labels: status.labels ?? [:],
                           baselineBenchmarkID: baselineID, baselineLabels: baselineID == nil ? nil : (data.baseline.first?.labels ?? [:]),
                           baselineReference: baselineReference,
                           regressionRatio: regressionRatio, alpha: alpha, failOnRegression: failOnRegression, cases: cases)
    }

    static func gateCase(_ job: JobSummary, model: String, report: ModelReport, hasBaseline: Bool, ratio threshold: Double,
                         requireValid: Bool) -> GateCase {
        var c = GateCase(model: model, agent: job.agentName ?? "-", engine: job.target.engine, target: job.target.label,
                         jobID: job.jobID, outcome: .passed, message: "")
        guard job.state == "succeeded", let row = report.rows.first(where: { $0.jobID == job.jobID }) else {
            let why = job.errorMessage.map { ": \($0)" } ?? ""
            c.outcome = .noValidResult
            c.message = job.state == "succeeded" ? "the result carries no latency statistics\(why)" : "job ended \(job.state)\(why)"
            return c
        }
        c.p50Ms = row.p50Ms
        c.seconds = row.samplesMs.reduce(0, +) / 1000
        if row.accuracyPassed == false {
            c.outcome = .accuracyFailure
            c.message = "outputs differ from the reference: max abs error \(sci(row.maxAbsError)), max rel error \(sci(row.maxRelError))"
            return c
        }
        if !row.valid {
            c.message = "INVALID result: " + row.validityReasons.joined(separator: "; ")
            if requireValid {
                c.outcome = .noValidResult
                return c
            }
        }
        guard let change = report.change(of: row) else {
            if !c.message.isEmpty { return c }
            c.message = hasBaseline ? "no baseline result for this target; p50 \(NumberFormat.ms(row.p50Ms)) ms" : "p50 \(NumberFormat.ms(row.p50Ms)) ms"
            return c
        }
        c.baselineP50Ms = change.baselineP50Ms
        c.ratio = change.p50Ratio
        c.pValue = change.test?.pValue
        c.verdict = change.verdict.rawValue
        let figures = "p50 \(NumberFormat.ms(change.currentP50Ms)) ms against \(NumberFormat.ms(change.baselineP50Ms)) ms in baseline "
            + "\(change.baselineBenchmarkID): ×\(String(format: "%.3f", change.p50Ratio)) (threshold ×\(String(format: "%.3f", threshold)))"
            + (change.test.map { String(format: ", Mann–Whitney p = %.3g", $0.pValue) } ?? ", no raw samples to test")
        switch change.verdict {
        case .regression:
            c.outcome = .regression
            c.message = "regression: " + figures
        case .improvement: c.message = "improvement: " + figures
        case .unchanged: c.message = "unchanged: " + figures
        case .untested: c.message = "untested: " + figures
        }
        return c
    }

    static func sci(_ x: Double?) -> String { x.map { String(format: "%.3g", $0) } ?? "unknown" }
}
