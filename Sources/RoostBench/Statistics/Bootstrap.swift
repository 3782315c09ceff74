import RoostCore

/// Seeded percentile bootstrap for quantiles. Resampling indices into the sorted
/// sample and counting them makes each replicate O(n) instead of a sort.
public enum Bootstrap {
    /// 95 % (by default) interval for the `p`-th percentile of `sorted`.
    public static func quantileInterval(sorted: [Double], p: Double, replicates: Int = 1000, level: Double = 0.95,
                                        seed: UInt64) -> ConfidenceInterval? {
        let n = sorted.count
        guard n >= 2 else { return nil }
        var rng = SplitMix64(seed: seed)
        let reps = n > 50_000 ? min(replicates, 200) : replicates
        var counts = [Int32](repeating: 0, count: n)
        var estimates: [Double] = []
        estimates.reserveCapacity(reps)
        let rank = p / 100 * Double(n - 1)
        let lo = Int(rank.rounded(.down)), frac = rank - Double(lo)
        for _ in 0..<reps {
            for i in 0..<n { counts[i] = 0 }
            for _ in 0..<n { counts[Int(rng.next() % UInt64(n))] += 1 }
            // Walk the cumulative counts to the order statistics lo and lo+1.
            var seen = 0, a = sorted[0], b = sorted[0], gotA = false
            for i in 0..<n where counts[i] > 0 {
                seen += Int(counts[i])
                if !gotA && seen > lo { a = sorted[i]; gotA = true }
                if seen > lo + 1 { b = sorted[i]; break }
                b = sorted[i]
            }
            estimates.append(a + (b - a) * frac)
        }
        estimates.sort()
        let alpha = (1 - level) / 2
        return ConfidenceInterval(low: LatencyStatistics.percentile(estimates, alpha * 100),
                                  high: LatencyStatistics.percentile(estimates, (1 - alpha) * 100), level: level)
    }
}
