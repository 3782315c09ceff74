import RoostCore

/// Everything the harness derives from raw latencies: order statistics, seeded
/// bootstrap intervals, robust spread, drift, outliers and early-stopping bounds.
public enum SampleAnalysis {
    /// `samplesMs` in the order they were measured (drift needs the order).
    public static func analyze(samplesMs: [Double], wallSeconds: Double, seed: UInt64) -> LatencyStatistics? {
        guard var stats = LatencyStatistics(samplesMs: samplesMs, wallSeconds: wallSeconds) else { return nil }
        let sorted = samplesMs.sorted()
        let n = sorted.count
        stats.p999 = LatencyStatistics.percentile(sorted, 99.9)
        stats.cv = stats.mean > 0 ? stats.stddev / stats.mean : nil
        stats.p50CI = Bootstrap.quantileInterval(sorted: sorted, p: 50, seed: seed)
        stats.p99CI = Bootstrap.quantileInterval(sorted: sorted, p: 99, seed: seed &+ 1)
        let p10 = LatencyStatistics.percentile(sorted, 10)
        stats.p10 = p10
        stats.dispersion = stats.p50 > 0 ? (stats.p90 - p10) / stats.p50 : nil
        stats.mad = medianAbsoluteDeviation(sorted, median: stats.p50)
        let fences = tukeyFences(sorted)
        let inliers = fences.map { f in sorted.filter { $0 >= f.low && $0 <= f.high } } ?? sorted
        let outliers = n - inliers.count
        stats.outliers = outliers
        stats.outlierShare = Double(outliers) / Double(n)
        if outliers == 0 || inliers.isEmpty {
            stats.outlierP99Shift = 0
        } else {
            let clean = LatencyStatistics.percentile(inliers, 99)
            stats.outlierP99Shift = clean > 0 ? stats.p99 / clean - 1 : nil
        }
        stats.drift = drift(samplesMs)
        stats.p90Bound = EarlyStopping.upperBound(sorted: sorted, quantile: 0.90)
        stats.p99Bound = EarlyStopping.upperBound(sorted: sorted, quantile: 0.99)
        stats.p99IsEstimate = Double(n) * 0.01 < 10
        return stats
    }

    /// Samples beyond Tukey's far-out fences: Q1 − 3·IQR and Q3 + 3·IQR.
    public static func outlierCount(_ sorted: [Double]) -> Int {
        guard let f = tukeyFences(sorted) else { return 0 }
        return sorted.filter { $0 < f.low || $0 > f.high }.count
    }

    static func tukeyFences(_ sorted: [Double]) -> (low: Double, high: Double)? {
        guard sorted.count >= 4 else { return nil }
        let q1 = LatencyStatistics.percentile(sorted, 25), q3 = LatencyStatistics.percentile(sorted, 75)
        let iqr = q3 - q1
        return (q1 - 3 * iqr, q3 + 3 * iqr)
    }

    static func medianAbsoluteDeviation(_ sorted: [Double], median: Double) -> Double {
        LatencyStatistics.percentile(sorted.map { abs($0 - median) }.sorted(), 50)
    }

    /// Median of the last third over the median of the first third, minus one;
    /// nil under 30 samples (ten a third is the least a median means anything on).
    public static func drift(_ ordered: [Double]) -> Double? {
        let third = ordered.count / 3
        guard third >= 10 else { return nil }
        let first = LatencyStatistics.percentile(ordered.prefix(third).sorted(), 50)
        let last = LatencyStatistics.percentile(ordered.suffix(third).sorted(), 50)
        return first > 0 ? last / first - 1 : nil
    }
}
