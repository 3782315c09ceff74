import Foundation
import RoostCore

/// Decides whether a measurement should be believed, and says why not. A run
/// is judged on what a report claims from it — the p50 and p99 intervals, a
/// robust spread, the median staying put — not on the CV of raw latencies,
/// which a handful of preemption spikes sets. Every reason names the measured
/// figure and the threshold it broke, so a verdict is never bare.
public enum ValidityRules {
    public static func evaluate(spec: BenchmarkSpec, statistics: LatencyStatistics?, wallSeconds: Double,
                                environment: RunEnvironment, accuracy: AccuracyReport?) -> Validity {
        var findings: [(cause: ValidityCause, reason: String)] = []
        func fail(_ cause: ValidityCause, _ reason: String) { findings.append((cause, reason)) }
        let profile = spec.profile
        let count = statistics?.count ?? 0
        // A run that stopped at the sample cap has measured all the protocol
        // keeps: a fast model reaches it before the profile's minimum time.
        let reachedCap = count >= InputLimits.maxSamples(for: spec)
        if !reachedCap && (wallSeconds + 1e-9 < profile.minSeconds || count < profile.minQueries) {
            fail(.length, String(format: "run shorter than the %@ profile requires (%.1f s, %d queries; needs %.0f s and %d)",
                                 profile.rawValue, wallSeconds, count, profile.minSeconds, profile.minQueries))
        }
        if let s = statistics { stability(s, spec: spec).forEach { fail(.stability, $0) } }
        if let f = environment.frequencyMHz, f.max > 0, f.min < 0.9 * f.max {
            fail(.frequency, String(format: "CPU frequency dropped during the run (%.0f → %.0f MHz, −%.0f %% > −10 %%)",
                                    f.max, f.min, (1 - f.min / f.max) * 100))
        }
        if let t = environment.throttleEvents, t > 0 {
            fail(.throttling, "thermal throttling seen (\(t) events > 0)")
        }
        if let gpu = environment.gpu, !gpu.spoilingThrottleReasons.isEmpty {
            fail(.throttling, "GPU thermal or power throttling seen (\(gpu.spoilingThrottleReasons.joined(separator: ", ")) active during the run)")
        }
        if let other = environment.otherCPUFraction, other > spec.maxOtherCPUFraction {
            fail(.outsideLoad, String(format: "other processes used %.0f%% of the benchmark CPUs (limit %.0f%%)", other * 100, spec.maxOtherCPUFraction * 100))
        }
        if let a = accuracy, !a.passed {
            fail(.accuracy, String(format: "accuracy: max abs error %.3g, max rel error %.3g, cosine %.6f beyond tolerance (rtol %.0e, atol %.0e)",
                                   a.maxAbsError, a.maxRelError, a.cosineSimilarity, spec.accuracyRTol, spec.accuracyATol))
        }
        return Validity(reasons: findings.map(\.reason), causes: findings.map(\.cause))
    }

    /// The stability rules on one run's statistics; empty when it is stable.
    static func stability(_ s: LatencyStatistics, spec: BenchmarkSpec) -> [String] {
        var reasons: [String] = []
        if let ci = s.p50CI, let w = halfWidth(ci, around: s.p50), w > spec.maxP50Interval {
            reasons.append("p50 interval ±\(percent(w)) > ±\(percent(spec.maxP50Interval))")
        }
        // With fewer than ten queries above p99 its interval says nothing the
        // report does not already say (it marks p99 as an estimate).
        if s.p99IsEstimate != true, let ci = s.p99CI, let w = halfWidth(ci, around: s.p99), w > spec.maxP99Interval {
            reasons.append("p99 interval ±\(percent(w)) > ±\(percent(spec.maxP99Interval))")
        }
        if let d = s.dispersion, d > spec.maxDispersion {
            reasons.append(String(format: "spread (p90 − p10) / p50 %.2f > %.2f", d, spec.maxDispersion))
        }
        if let d = s.drift, abs(d) > spec.maxDrift {
            reasons.append("p50 drifted \(signed(d)) from the first to the last third of the run (limit ±\(percent(spec.maxDrift)))")
        }
        // Outliers matter only where they set p99, i.e. where they lift it.
        if let shift = s.outlierP99Shift, shift > spec.maxP99Interval {
            let share = (s.outlierShare ?? 0) * 100
            reasons.append(String(format: outlierReasonPrefix + "%d, %.1f %% of queries) move p99 by %@ > +%@",
                                  s.outliers ?? 0, share, signed(shift), percent(spec.maxP99Interval)))
        }
        return reasons
    }

    static let outlierReasonPrefix = "outliers ("

    /// Whether `reason` is the outlier rule's.
    public static func isOutlierReason(_ reason: String) -> Bool { reason.hasPrefix(outlierReasonPrefix) }

    /// Outliers that set p99 make one run INVALID because a few spikes more or
    /// less would move p99. When every one of at least three tries failed on
    /// that rule alone and the tries agree — p50s within the p50 interval limit
    /// and p99s within the p99 interval limit of their median — the "outliers"
    /// are a steady part of the target's latency (a second mode a tight IQR
    /// marks as far out), and p99 is as repeatable as the profile asks. Returns
    /// the try to report (the one with the median p99) and the sentence saying
    /// why it is VALID; nil when the tries do not qualify.
    public static func steadyTail(of tries: [BenchmarkResult], spec: BenchmarkSpec) -> (index: Int, note: String)? {
        guard tries.count >= 3 else { return nil }
        var p50s: [Double] = [], p99s: [Double] = []
        for t in tries {
            guard t.status == .succeeded, let v = t.validity, !v.valid, v.reasons.allSatisfy(isOutlierReason),
                  let s = t.statistics, s.p50 > 0, s.p99 > 0 else { return nil }
            p50s.append(s.p50)
            p99s.append(s.p99)
        }
        func spread(_ xs: [Double]) -> (halfRange: Double, median: Double) {
            let sorted = xs.sorted(), median = sorted[sorted.count / 2]
            return ((sorted.last! - sorted.first!) / 2 / median, median)
        }
        let (p50Spread, _) = spread(p50s), (p99Spread, p99Median) = spread(p99s)
        guard p50Spread <= spec.maxP50Interval, p99Spread <= spec.maxP99Interval else { return nil }
        let index = p99s.firstIndex(of: p99Median)!
        let note = "outliers set p99 in all \(tries.count) tries, which agree (p50 within ±\(percent(p50Spread)) ≤ ±\(percent(spec.maxP50Interval)), "
            + "p99 within ±\(percent(p99Spread)) ≤ ±\(percent(spec.maxP99Interval))): the tail is steady, reported try \(index + 1)"
        return (index, note)
    }

    /// Half the interval's width relative to the figure (0.05 = ±5 %).
    static func halfWidth(_ ci: ConfidenceInterval, around figure: Double) -> Double? {
        figure > 0 ? (ci.high - ci.low) / 2 / figure : nil
    }

    /// "5 %", "0.8 %", "14 %": a tenth of a percent below 10 %.
    static func percent(_ x: Double) -> String {
        let p = abs(x) * 100
        let text = p < 10 ? String(format: "%.1f", p) : String(format: "%.0f", p)
        return (text.hasSuffix(".0") ? String(text.dropLast(2)) : text) + " %"
    }

    static func signed(_ x: Double) -> String { (x < 0 ? "−" : "+") + percent(x) }
}
