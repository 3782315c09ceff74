import Foundation
import Testing
import RoostCore
@testable import RoostReport

/// The degraded decision on fixture samples: slower beyond 10 % *and*
/// significant (Mann–Whitney, α = 0.01), never one without the other.
struct HealthAssessmentTests {
    /// `count` seeded samples around `median` ms with ±`spread` relative jitter.
    static func fixture(median: Double, spread: Double, count: Int, seed: UInt64) -> [Double] {
        var rng = SplitMix64(seed: seed)
        return (0..<count).map { _ in median * (1 + spread * (Double(rng.next() % 10_000) / 10_000 * 2 - 1)) }
    }

    let baseline = Self.fixture(median: 1.0, spread: 0.05, count: 1_000, seed: 1)

    @Test func slowerAndSignificantIsDegraded() throws {
        let a = try #require(HealthAssessment.assess(samples: Self.fixture(median: 1.3, spread: 0.05, count: 1_000, seed: 2), baseline: baseline))
        #expect(a.isDegraded)
        #expect(abs(a.ratio - 1.3) < 0.02)
        #expect(try #require(a.test).pValue < 1e-6)
        let summary = a.summary
        #expect(summary.contains("1.30× baseline"), "\(summary)")
    }

    @Test func slowerButNotSignificantStaysHealthy() throws {
        // Three noisy samples 25 % slower: too few to say anything.
        let few = HealthAssessment.assess(samples: [1.25, 0.6, 1.9], baseline: baseline)
        #expect(few?.isDegraded == false && few?.test == nil && (few?.ratio ?? 0) > 1.1)
        // Enough samples, but so spread out that a 12 % shift of the median is not significant.
        let wideBase = Self.fixture(median: 1.0, spread: 0.9, count: 25, seed: 3)
        let wide = try #require(HealthAssessment.assess(samples: wideBase.map { $0 * 1.12 }, baseline: wideBase))
        #expect(abs(wide.ratio - 1.12) < 1e-9)
        #expect(try #require(wide.test).pValue >= 0.01)
        #expect(!wide.isDegraded)
    }

    @Test func significantButWithinTheRatioStaysHealthy() throws {
        let a = try #require(HealthAssessment.assess(samples: Self.fixture(median: 1.05, spread: 0.02, count: 1_000, seed: 5), baseline: baseline))
        #expect(try #require(a.test).pValue < 0.01)
        #expect(a.ratio < 1.10 && !a.isDegraded)
    }

    @Test func fasterIsHealthyAndCustomPolicyApplies() throws {
        let faster = try #require(HealthAssessment.assess(samples: Self.fixture(median: 0.7, spread: 0.05, count: 1_000, seed: 6), baseline: baseline))
        #expect(!faster.isDegraded)
        let slower = Self.fixture(median: 1.05, spread: 0.02, count: 1_000, seed: 7)
        #expect(HealthAssessment.assess(samples: slower, baseline: baseline, policy: .init(maxSlowdown: 1.02, alpha: 0.01))?.isDegraded == true)
        #expect(HealthAssessment.assess(samples: [], baseline: baseline) == nil)
    }
}
