import Foundation

/// The Mann–Whitney U test (Wilcoxon rank-sum): does one target's latency
/// distribution sit above the other's? Latencies are skewed and heavy-tailed,
/// so a rank test is the honest choice where a t-test would be swayed by a few
/// slow queries.
///
/// Two-sided, normal approximation with tie correction and continuity
/// correction — the same as `scipy.stats.mannwhitneyu(x, y,
/// alternative="two-sided", method="asymptotic", use_continuity=True)`.
/// The approximation is good to a few parts in a thousand of p once both
/// samples have at least 20 values (`isApproximationReliable`); below that
/// the p-value is still reported but is only indicative (an exact test would
/// be needed). Benchmarks here record hundreds to tens of thousands of
/// queries, so the exact small-sample distribution is not implemented.
public struct MannWhitney: Codable, Sendable, Equatable {
    /// U for the first sample: the number of (x, y) pairs with x > y, ties counting ½ (scipy's `statistic`).
    public var u: Double
    /// Standardized statistic, continuity-corrected; its sign says which sample ranks higher (positive: x above y).
    public var z: Double
    /// Two-sided p-value.
    public var pValue: Double
    public var n1: Int
    public var n2: Int

    /// Both samples hold at least this many values for the normal approximation to be trusted.
    public static let reliableSampleSize = 20

    public var isApproximationReliable: Bool { min(n1, n2) >= Self.reliableSampleSize }

    public func isSignificant(alpha: Double) -> Bool { pValue < alpha }

    public init(u: Double, z: Double, pValue: Double, n1: Int, n2: Int) {
        self.u = u
        self.z = z
        self.pValue = pValue
        self.n1 = n1
        self.n2 = n2
    }

    /// Tests `x` against `y`; nil when either sample is empty or a value is not finite.
    public static func test(_ x: [Double], _ y: [Double]) -> MannWhitney? {
        guard !x.isEmpty, !y.isEmpty, x.allSatisfy(\.isFinite), y.allSatisfy(\.isFinite) else { return nil }
        let n1 = Double(x.count), n2 = Double(y.count), n = n1 + n2
        // Pool, sort, and give tied values the mean of the ranks they span.
        var pooled = x.map { ($0, true) } + y.map { ($0, false) }
        pooled.sort { $0.0 < $1.0 }
        var rankSumX = 0.0
        var tieTerm = 0.0 // Σ (t³ − t) over groups of tied values
        var i = 0
        while i < pooled.count {
            var j = i
            while j + 1 < pooled.count, pooled[j + 1].0 == pooled[i].0 { j += 1 }
            let meanRank = Double(i + j) / 2 + 1
            for k in i...j where pooled[k].1 { rankSumX += meanRank }
            let t = Double(j - i + 1)
            tieTerm += t * t * t - t
            i = j + 1
        }
        let u1 = rankSumX - n1 * (n1 + 1) / 2
        let mean = n1 * n2 / 2
        let variance = n1 * n2 / 12 * ((n + 1) - tieTerm / (n * (n - 1)))
        guard variance > 0 else {
            // Every value is the same: no evidence of any difference.
            return MannWhitney(u: u1, z: 0, pValue: 1, n1: x.count, n2: y.count)
        }
        let deviation = u1 - mean
        // Continuity correction moves |U − mean| half a step towards zero.
        let corrected = max(abs(deviation) - 0.5, 0)
        let z = (deviation < 0 ? -corrected : corrected) / variance.squareRoot()
        let p = min(1, 2 * StandardNormal.survival(abs(z)))
        return MannWhitney(u: u1, z: z, pValue: p, n1: x.count, n2: y.count)
    }
}
