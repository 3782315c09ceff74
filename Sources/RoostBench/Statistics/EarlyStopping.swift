import Foundation

/// MLPerf LoadGen's early-stopping idea: with `n` samples, the k-th order statistic
/// is an upper bound on the true p-quantile with the given confidence when
/// P[Binomial(n, p) ≤ k−1] ≥ confidence. Returns that k (1-based), or nil when
/// even the largest sample cannot bound the quantile at that confidence.
public enum EarlyStopping {
    public static func boundIndex(n: Int, quantile p: Double, confidence: Double = 0.99) -> Int? {
        guard n > 0, p > 0, p < 1 else { return nil }
        // Accumulate the binomial CDF in log space from 0 upwards.
        let logP = log(p), log1mP = log1p(-p)
        var cdf = 0.0
        for j in 0...n {
            let logPMF = lgamma(Double(n + 1)) - lgamma(Double(j + 1)) - lgamma(Double(n - j + 1)) + Double(j) * logP + Double(n - j) * log1mP
            cdf += exp(logPMF)
            if cdf >= confidence { return j + 1 <= n ? j + 1 : nil }
        }
        return nil
    }

    /// The bound itself, from sorted samples.
    public static func upperBound(sorted: [Double], quantile p: Double, confidence: Double = 0.99) -> Double? {
        boundIndex(n: sorted.count, quantile: p, confidence: confidence).map { sorted[$0 - 1] }
    }
}
