import RoostCore

/// Everything the harness derives from raw latencies: order statistics, seeded
/// bootstrap intervals, variation, outliers and early-stopping bounds.
public enum SampleAnalysis {
    public static func analyze(samplesMs: [Double], wallSeconds: Double, seed: UInt64) -> LatencyStatistics? {
        guard var stats = LatencyStatistics(samplesMs: samplesMs, wallSeconds: wallSeconds) else { return nil }
        let sorted = samplesMs.sorted()
        let n = sorted.count
        stats.p999 = LatencyStatistics.percentile(sorted, 99.9)
        stats.cv = stats.mean > 0 ? stats.stddev / stats.mean : nil
        stats.p50CI = Bootstrap.quantileInterval(sorted: sorted, p: 50, seed: seed)
        stats.p99CI = Bootstrap.quantileInterval(sorted: sorted, p: 99, seed: seed &+ 1)
        stats.outliers = outlierCount(sorted)
        stats.p90Bound = EarlyStopping.upperBound(sorted: sorted, quantile: 0.90)
        stats.p99Bound = EarlyStopping.upperBound(sorted: sorted, quantile: 0.99)
        stats.p99IsEstimate = Double(n) * 0.01 < 10
        return stats
    }

    /// Samples beyond Tukey's far-out fences: Q1 − 3·IQR and Q3 + 3·IQR.
    public static func outlierCount(_ sorted: [Double]) -> Int {
        guard sorted.count >= 4 else { return 0 }
        let q1 = LatencyStatistics.percentile(sorted, 25), q3 = LatencyStatistics.percentile(sorted, 75)
        let iqr = q3 - q1
        return sorted.filter { $0 < q1 - 3 * iqr || $0 > q3 + 3 * iqr }.count
    }
}
