import Foundation

/// Order statistics of per-query latencies, in milliseconds.
public struct LatencyStatistics: Codable, Sendable, Equatable {
    public var count: Int
    public var p50: Double
    public var p90: Double
    public var p99: Double
    public var mean: Double
    public var min: Double
    public var max: Double
    public var stddev: Double
    /// Queries per second over the timed phase (batch 1, one stream).
    public var throughput: Double
    public var p999: Double?
    /// Coefficient of variation (stddev / mean).
    public var cv: Double?
    /// Seeded bootstrap 95 % confidence intervals.
    public var p50CI: ConfidenceInterval?
    public var p99CI: ConfidenceInterval?
    /// Samples beyond Tukey's far-out fences (3 × IQR).
    public var outliers: Int?
    /// `outliers` as a share of all queries (0…1): above 0.01 they reach p99.
    public var outlierShare: Double?
    /// How far the outliers lift p99 above the p99 of the other queries, relative
    /// (0.1 = +10 %): what decides whether outliers matter, not their count.
    public var outlierP99Shift: Double?
    public var p10: Double?
    /// Robust spread, (p90 − p10) / p50: unlike the CV, a handful of preemption
    /// spikes does not move it.
    public var dispersion: Double?
    /// Median absolute deviation from p50, ms (information).
    public var mad: Double?
    /// Relative change of the median from the first to the last third of the run
    /// (+0.1 = the end ran 10 % slower): a drifting machine, which intervals over
    /// the pooled samples cannot see.
    public var drift: Double?
    /// MLPerf-style early-stopping upper bounds at 99 % confidence; nil when the
    /// query count is too small to bound that percentile at all.
    public var p90Bound: Double?
    public var p99Bound: Double?
    /// True when too few queries lie above p99 to support it (fewer than 10): read `p99Bound`.
    public var p99IsEstimate: Bool?

    public init(count: Int, p50: Double, p90: Double, p99: Double, mean: Double, min: Double, max: Double, stddev: Double, throughput: Double) {
        self.count = count
        self.p50 = p50
        self.p90 = p90
        self.p99 = p99
        self.mean = mean
        self.min = min
        self.max = max
        self.stddev = stddev
        self.throughput = throughput
    }

    /// Computes the statistics of `samples` (ms). `wallSeconds` is the timed phase's
    /// duration, so throughput includes per-query overhead the samples don't see.
    public init?(samplesMs samples: [Double], wallSeconds: Double) {
        guard !samples.isEmpty else { return nil }
        let sorted = samples.sorted()
        let n = Double(sorted.count)
        let mean = sorted.reduce(0, +) / n
        let variance = sorted.count > 1 ? sorted.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / (n - 1) : 0
        self.init(
            count: sorted.count,
            p50: Self.percentile(sorted, 50), p90: Self.percentile(sorted, 90), p99: Self.percentile(sorted, 99),
            mean: mean, min: sorted[0], max: sorted[sorted.count - 1], stddev: variance.squareRoot(),
            throughput: wallSeconds > 0 ? n / wallSeconds : 0)
    }

    /// Percentile by linear interpolation between closest ranks (NumPy's default),
    /// so results match what users compute from the raw samples themselves.
    public static func percentile(_ sorted: [Double], _ p: Double) -> Double {
        precondition(!sorted.isEmpty)
        let rank = p / 100 * Double(sorted.count - 1)
        let lo = Int(rank.rounded(.down))
        let hi = Swift.min(lo + 1, sorted.count - 1)
        let frac = rank - Double(lo)
        return sorted[lo] + (sorted[hi] - sorted[lo]) * frac
    }
}
