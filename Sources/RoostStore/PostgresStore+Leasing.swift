import Foundation
import PostgresNIO
import RoostCore

extension PostgresStore {
    /// Leases the oldest highest-priority queued jobs for these targets with
    /// `FOR UPDATE SKIP LOCKED`, at most one per agent, in one statement; the
    /// expiry is computed on the database clock. Nothing is leased to an agent
    /// that is not `active` (drained, paused, in a health state) or before a
    /// requeued job's backoff (`not_before`) ends.
    ///
    /// Batching is what makes a busy farm cheap: N agents polling at once cost
    /// one index walk, one round trip and one commit instead of N statements
    /// that each skip the others' locked rows. Each target signature is read
    /// separately, walking `jobs_queue_ordered` from its head (`= ANY(…)` in one
    /// scan makes PostgreSQL sort every queued job); the best candidates win and
    /// are paired with the agents in request order. Candidates locked but not
    /// used are free again at commit. An agent listed twice gets at most one job.
    /// The target and spec come back as JSON text, to be spliced into the reply.
    /// Each asking agent's `last_heartbeat` is refreshed in the same statement
    /// when older than `pollHeartbeatSeconds`: polling is being alive.
    /// How stale `last_heartbeat` may be before a poll refreshes it: an agent
    /// counts as offline only after `AgentState.offlineAfterSeconds` (90 s).
    static let pollHeartbeatSeconds: Double = 5

    public func lease(agentIDs: [String], targetSignatures: [String], leaseSeconds: Double) async throws -> [LeasedJob?] {
        var out = [LeasedJob?](repeating: nil, count: agentIDs.count)
        guard !agentIDs.isEmpty else { return out }
        let inputs = LeaseJobsStatement.Inputs(agents: agentIDs, targetSignatures: targetSignatures, leaseSeconds: leaseSeconds,
                                               heartbeatSeconds: Self.pollHeartbeatSeconds)
        for try await row in try await queue.execute(LeaseJobsStatement(inputs: inputs), logger: logger) {
            out[row.0 - 1] = inputs.job(row)
        }
        return out
    }
}
