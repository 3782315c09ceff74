import Foundation
import PostgresNIO
import RoostCore

extension PostgresStore {
    /// Accepts each result only from the attempt holding the current lease
    /// token: a job's transition and its result row commit together or not at
    /// all, and a stale token inserts nothing. One statement and one commit for
    /// the whole batch (`AcceptResultsStatement`); the reply is aligned with
    /// `submissions`. The same job twice in one batch is accepted once.
    public func submitResults(_ submissions: [ResultSubmission]) async throws -> [Bool] {
        var inputs: [AcceptResultsStatement.Input] = []
        var slot: [Int] = []
        var seen = Set<UUID>()
        for (i, sub) in submissions.enumerated() {
            guard let jid = UUID(uuidString: sub.jobID), seen.insert(jid).inserted else { continue }
            let r = sub.result
            let s = r.statistics
            let succeeded = r.status == .succeeded
            inputs.append(.init(
                ord: inputs.count + 1, job_id: jid.uuidString.lowercased(), token: sub.leaseToken,
                state: succeeded ? "succeeded" : "error",
                outcome: (succeeded ? JobAttempt.Outcome.succeeded : .error).rawValue, error: r.errorMessage,
                p50: s?.p50, p90: s?.p90, p99: s?.p99, mean: s?.mean, min: s?.min, max: s?.max, throughput: s?.throughput,
                samples: r.samplesMs, statistics: s, environment: r.environment, engine: r.environment.engine,
                scenario: (r.scenario ?? .singleStream).rawValue, valid: r.isValid, invalid_reasons: r.validity?.reasons ?? [],
                accuracy: r.accuracy, scenario_metrics: r.scenarioMetrics))
            slot.append(i)
        }
        var accepted = [Bool](repeating: false, count: submissions.count)
        guard !inputs.isEmpty else { return accepted }
        let rows = try await client.execute(AcceptResultsStatement(inputs: inputs), logger: logger)
        for try await ord in rows { accepted[slot[ord - 1]] = true }
        return accepted
    }
}
