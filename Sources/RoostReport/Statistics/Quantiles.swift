import RoostCore

/// Percentiles of raw samples, interpolated as `LatencyStatistics` does, so a
/// box drawn from the samples agrees with the table beside it.
enum Quantiles {
    static func of(_ samples: [Double], _ percents: [Double]) -> [Double]? {
        let sorted = samples.filter(\.isFinite).sorted()
        guard !sorted.isEmpty else { return nil }
        return percents.map { LatencyStatistics.percentile(sorted, $0) }
    }

    static func median(_ samples: [Double]) -> Double? { of(samples, [50])?.first }
}
