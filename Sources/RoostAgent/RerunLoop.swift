import Foundation
import RoostBench
import RoostCore

/// Runs a benchmark again when the environment spoiled it (outside load, a
/// frequency drop, an unstable run), after a short settle, up to the spec's
/// `maxReruns`; a wrong answer or a too-short run is never rerun. The result
/// reported is the first VALID try, else — when every try failed only because
/// outliers set p99 and the tries agree (`ValidityRules.steadyTail`) — the
/// median one, VALID with that note, else the last measured one; it carries
/// every try so none is hidden.
public struct RerunLoop: Sendable {
    public var maxReruns: Int
    public var settleSeconds: Double
    /// The profile's limits for the steady-tail check; nil skips it.
    public var spec: BenchmarkSpec?

    public init(maxReruns: Int, settleSeconds: Double, spec: BenchmarkSpec? = nil) {
        self.maxReruns = max(0, maxReruns)
        self.settleSeconds = max(0, settleSeconds)
        self.spec = spec
    }

    public init(spec: BenchmarkSpec) { self.init(maxReruns: spec.maxReruns, settleSeconds: spec.rerunSettleSeconds, spec: spec) }

    /// `attempt(n)` runs try `n` (1-based). Stops early when cancelled.
    public func run(_ attempt: (_ number: Int) async -> BenchmarkResult) async -> BenchmarkResult {
        var results: [BenchmarkResult] = []
        var tries: [BenchmarkTry] = []
        for number in 1...(1 + maxReruns) {
            var settled: Double?
            if number > 1 {
                if settleSeconds > 0 { try? await Task.sleep(for: .milliseconds(Int(settleSeconds * 1000))) }
                if Task.isCancelled { break }
                settled = settleSeconds
            }
            let result = await attempt(number)
            results.append(result)
            tries.append(BenchmarkTry(number: number, result: result, settleSeconds: settled))
            guard Self.shouldRerun(result), !Task.isCancelled else { break }
        }
        if !results.contains(where: \.isValid), let spec, let steady = ValidityRules.steadyTail(of: results, spec: spec) {
            var reported = results[steady.index]
            reported.validity = Validity(reasons: [], causes: [])
            reported.tries = RunTries(reported: steady.index + 1, tries: tries, steadyTail: steady.note)
            return reported
        }
        let index = Self.reportedIndex(results)
        var reported = results[index]
        reported.tries = RunTries(reported: index + 1, tries: tries)
        return reported
    }

    /// Only a measured, INVALID run whose every reason the environment could cause.
    public static func shouldRerun(_ result: BenchmarkResult) -> Bool {
        result.status == .succeeded && (result.validity?.isRerunnable ?? false)
    }

    /// The first VALID try; else the last that measured anything; else the last.
    static func reportedIndex(_ results: [BenchmarkResult]) -> Int {
        if let valid = results.firstIndex(where: \.isValid) { return valid }
        if let measured = results.lastIndex(where: { $0.status == .succeeded }) { return measured }
        return results.count - 1
    }
}
