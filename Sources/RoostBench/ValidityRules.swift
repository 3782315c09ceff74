import RoostCore

/// Decides whether a measurement should be believed, and says why not.
public enum ValidityRules {
    public static func evaluate(spec: BenchmarkSpec, statistics: LatencyStatistics?, wallSeconds: Double,
                                environment: RunEnvironment, accuracy: AccuracyReport?) -> Validity {
        var reasons: [String] = []
        let profile = spec.profile
        let count = statistics?.count ?? 0
        if wallSeconds + 1e-9 < profile.minSeconds || count < profile.minQueries {
            reasons.append(String(format: "run shorter than the %@ profile requires (%.1f s, %d queries; needs %.0f s and %d)",
                                  profile.rawValue, wallSeconds, count, profile.minSeconds, profile.minQueries))
        }
        if let cv = statistics?.cv, cv > spec.maxCV {
            reasons.append(String(format: "variation above threshold (CV %.2f > %.2f)", cv, spec.maxCV))
        }
        if let f = environment.frequencyMHz, f.max > 0, f.min < 0.9 * f.max {
            reasons.append(String(format: "CPU frequency dropped during the run (%.0f → %.0f MHz)", f.max, f.min))
        }
        if let t = environment.throttleEvents, t > 0 {
            reasons.append("thermal throttling seen (\(t) events)")
        }
        if let other = environment.otherCPUFraction, other > spec.maxOtherCPUFraction {
            reasons.append(String(format: "other processes used %.0f%% of the benchmark CPUs (limit %.0f%%)", other * 100, spec.maxOtherCPUFraction * 100))
        }
        if let a = accuracy, !a.passed {
            reasons.append(String(format: "accuracy: max abs error %.3g, max rel error %.3g, cosine %.6f beyond tolerance", a.maxAbsError, a.maxRelError, a.cosineSimilarity))
        }
        return Validity(reasons: reasons)
    }
}
