import Testing
import RoostCore
@testable import RoostReport

/// Expected values come from SciPy 1.17.1:
/// `scipy.stats.mannwhitneyu(x, y, alternative="two-sided", method="asymptotic", use_continuity=True)`,
/// which returns U for the first sample and the two-sided p-value. They were computed
/// once and pasted here; the datasets are written out in full so anyone can recompute them.
@Suite struct MannWhitneyTests {
    @Test func smallSampleWithoutTies() throws {
        // scipy: statistic 17.0, pvalue 0.11134688653314041
        let r = try #require(MannWhitney.test([19, 22, 16, 29, 24], [20, 11, 17, 12]))
        #expect(r.u == 17)
        #expect(abs(r.pValue - 0.11134688653314041) < 1e-12)
        #expect(r.z > 0) // the first sample ranks higher
        #expect(!r.isApproximationReliable)
    }

    @Test func shiftedRangesOfTwenty() throws {
        // x = 1…20, y = 11…30. scipy: statistic 50.0, pvalue 5.2125496206037515e-05
        let r = try #require(MannWhitney.test((1...20).map(Double.init), (11...30).map(Double.init)))
        #expect(r.u == 50)
        #expect(abs(r.pValue - 5.2125496206037515e-05) < 1e-15)
        #expect(r.z < 0)
        #expect(r.isApproximationReliable)
        #expect(r.isSignificant(alpha: 0.05))
    }

    @Test func manyTiesUseTheTieCorrection() throws {
        // scipy: statistic 101.5, pvalue 0.004677216403883972
        let x: [Double] = [1, 2, 2, 3, 3, 3, 4, 4, 5, 5, 5, 5, 6, 6, 7, 8, 8, 9, 10, 10]
        let y: [Double] = [3, 4, 4, 5, 6, 6, 6, 7, 7, 8, 8, 8, 9, 9, 10, 11, 12, 12, 13, 14, 15]
        let r = try #require(MannWhitney.test(x, y))
        #expect(r.u == 101.5)
        #expect(abs(r.pValue - 0.004677216403883972) < 1e-12)
        // Without the tie correction the variance is larger and p differs in the fourth digit.
        #expect(r.n1 == 20 && r.n2 == 21)
    }

    @Test func identicalConstantSamplesAreIndistinguishable() throws {
        // scipy: statistic 200.0, pvalue 1.0
        let r = try #require(MannWhitney.test([Double](repeating: 5, count: 20), [Double](repeating: 5, count: 20)))
        #expect(r.u == 200)
        #expect(r.pValue == 1)
        #expect(!r.isSignificant(alpha: 0.05))
    }

    @Test func swappingTheSamplesMirrorsUAndKeepsP() throws {
        var rng = SplitMix64(seed: 11)
        let a = (0..<300).map { _ in 2 + Double(rng.next() % 1000) / 1000 }, b = (0..<250).map { _ in 2.1 + Double(rng.next() % 1000) / 1000 }
        let ab = try #require(MannWhitney.test(a, b)), ba = try #require(MannWhitney.test(b, a))
        #expect(ab.u + ba.u == Double(a.count * b.count))
        #expect(abs(ab.pValue - ba.pValue) < 1e-12)
        #expect(abs(ab.z + ba.z) < 1e-12)
    }

    @Test func emptyOrNonFiniteSamplesAreNotTested() {
        #expect(MannWhitney.test([], [1, 2]) == nil)
        #expect(MannWhitney.test([1, .nan], [1, 2]) == nil)
    }
}
