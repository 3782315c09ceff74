import Foundation
import RoostCore

/// The one way in: stored results and the user's options to a `ModelReport`.
public enum ReportBuilder {
    public static func build(data: ReportData, options: ReportOptions = ReportOptions(), generatedAt: Date = Date()) -> ModelReport {
        let matrix = ReportMatrix(rows: data.rows, options: options)
        let history: History? = data.baseline.isEmpty ? nil
            : RegressionDetector.compare(current: matrix.rows, baseline: ReportMatrix(rows: data.baseline, options: options).rows,
                                         options: options)
        var report = ModelReport(
            model: data.model, generatedAt: generatedAt, options: options, rows: matrix.rows, unmeasured: matrix.unmeasured,
            recommendation: Recommender.recommend(matrix, options: options, history: history), tradeoff: Tradeoff(rows: matrix.rows),
            history: history)
        report.unreadable = data.unreadable
        return report
    }

    /// `roost report --all`: one report per model, in the order given.
    public static func build(all data: [ReportData], options: ReportOptions = ReportOptions(), generatedAt: Date = Date()) -> [ModelReport] {
        data.map { build(data: $0, options: options, generatedAt: generatedAt) }
    }
}
