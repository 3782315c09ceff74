import Foundation
import RoostCore

/// Is an agent measurably slower than it was? Compares one run of the golden
/// benchmark with the agent's own baseline run: degraded only when the median is
/// more than `maxSlowdown` above the baseline's *and* the Mann–Whitney test says
/// the shift is real (p < `alpha`), so neither a noisy small sample nor a tiny
/// but significant drift takes a machine out of service.
public struct HealthAssessment: Sendable, Equatable {
    public var p50Ms: Double
    public var baselineP50Ms: Double
    /// p50 over the baseline's p50.
    public var ratio: Double
    /// Nil when either sample is too small for the test to say anything.
    public var test: MannWhitney?
    public var isDegraded: Bool

    /// Policy: slower than the baseline by this factor, and significant at `alpha`.
    public struct Policy: Sendable, Equatable {
        public var maxSlowdown: Double
        public var alpha: Double
        public init(maxSlowdown: Double = 1.10, alpha: Double = 0.01) {
            self.maxSlowdown = maxSlowdown
            self.alpha = alpha
        }
    }

    /// Nil when either sample is empty or not finite.
    public static func assess(samples: [Double], baseline: [Double], policy: Policy = Policy()) -> HealthAssessment? {
        guard let p50 = Quantiles.median(samples), let base = Quantiles.median(baseline), base > 0 else { return nil }
        let ratio = p50 / base
        let test = MannWhitney.test(samples, baseline).flatMap { $0.isApproximationReliable ? $0 : nil }
        // Slower means the new samples rank above the baseline's (z > 0).
        let significant = test.map { $0.z > 0 && $0.isSignificant(alpha: policy.alpha) } ?? false
        return HealthAssessment(p50Ms: p50, baselineP50Ms: base, ratio: ratio, test: test, isDegraded: ratio > policy.maxSlowdown && significant)
    }

    /// One line for logs, `roost agent list` and the dashboard.
    public var summary: String {
        let p = test.map { String(format: "p=%.2g", $0.pValue) } ?? "too few samples to test"
        return String(format: "golden p50 %.3f ms = %.2f× baseline %.3f ms", p50Ms, ratio, baselineP50Ms) + " (\(p))"
    }
}
