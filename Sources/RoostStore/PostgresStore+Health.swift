import Foundation
import PostgresNIO
import RoostCore

/// Agent health in SQL: the golden-benchmark history and baselines, when a check
/// is due, and the `degraded` / `quarantined` transitions — each one statement
/// guarded by the state it expects, so an operator's pause or drain always wins.
extension PostgresStore {
    /// Why the agent should run its golden benchmark now, or nil.
    public func healthCheckDue(agentID: String, schedule: HealthSchedule) async throws -> String? {
        guard let aid = UUID(uuidString: agentID) else { return nil }
        let rows = try await client.query("""
            SELECT a.state, extract(epoch FROM now() - h.last)::float8,
                   (SELECT count(*) FROM results r WHERE r.agent_id = a.id AND r.created_at > h.last)::int
            FROM agents a LEFT JOIN LATERAL (
                SELECT max(created_at) AS last FROM health_checks WHERE agent_id = a.id AND target_signature = a.target_signature
            ) h ON true
            WHERE a.id = \(aid)
            """, logger: logger)
        for try await (state, age, jobs) in rows.decode((String, Double?, Int).self) {
            return schedule.dueReason(state: state, age: age, jobs: jobs)
        }
        return nil
    }

    /// The samples of the agent's baseline run of `benchmark` on its current target.
    public func healthBaseline(agentID: String, benchmark: String) async throws -> [Double]? {
        guard let aid = UUID(uuidString: agentID) else { return nil }
        let rows = try await client.query("""
            SELECT h.samples_ms FROM health_checks h JOIN agents a ON a.id = h.agent_id
            WHERE h.agent_id = \(aid) AND h.benchmark = \(benchmark) AND h.target_signature = a.target_signature AND h.outcome = 'baseline'
            """, logger: logger)
        for try await samples in rows.decode([Double].self) { return samples }
        return nil
    }

    /// Stores one check and applies its outcome: `degraded` or `failed` moves an
    /// `active` agent to `degraded` (with `reason`); `baseline` or `healthy`
    /// brings a `degraded` agent back to `active`. Returns the state afterwards.
    public func recordHealthCheck(agentID: String, benchmark: String, outcome: HealthVerdict.Outcome, samplesMs: [Double],
                                  p50Ms: Double?, ratio: Double?, pValue: Double?, error: String?, reason: String) async throws -> String {
        guard let aid = UUID(uuidString: agentID) else { throw RoostError.invalidArgument("bad agent id") }
        return try await client.withTransaction(logger: logger) { tx -> String in
            try await tx.query("""
                INSERT INTO health_checks (agent_id, benchmark, target_signature, outcome, samples_ms, p50_ms, ratio, p_value, error)
                SELECT id, \(benchmark), target_signature, \(outcome.rawValue), \(samplesMs), \(p50Ms), \(ratio), \(pValue), \(error)
                FROM agents WHERE id = \(aid)
                ON CONFLICT DO NOTHING
                """, logger: logger)
            switch outcome {
            case .degraded, .failed:
                try await tx.query("""
                    UPDATE agents SET state = 'degraded', state_reason = \(reason) WHERE id = \(aid) AND state IN ('active', 'degraded')
                    """, logger: logger)
            case .baseline, .healthy:
                try await tx.query("""
                    UPDATE agents SET state = 'active', state_reason = NULL WHERE id = \(aid) AND state = 'degraded'
                    """, logger: logger)
            }
            let rows = try await tx.query("SELECT state FROM agents WHERE id = \(aid)", logger: logger)
            for try await state in rows.decode(String.self) { return state }
            throw RoostError.notFound("agent \(agentID)")
        }
    }

    /// Quarantines the agent when its last `errors` results (since it was last
    /// enrolled or resumed) are all errors; returns the reason when it did.
    public func quarantineAfterErrors(agentID: String, errors: Int) async throws -> String? {
        guard let aid = UUID(uuidString: agentID), errors > 0 else { return nil }
        let rows = try await client.query("""
            WITH recent AS (
                SELECT r.status, r.error, r.created_at FROM results r JOIN agents a ON a.id = r.agent_id
                WHERE r.agent_id = \(aid) AND r.created_at >= a.errors_count_since
                ORDER BY r.created_at DESC LIMIT \(errors)
            )
            UPDATE agents SET state = 'quarantined',
                state_reason = format('%s job errors in a row; last: %s', \(errors),
                    left(COALESCE((SELECT error FROM recent ORDER BY created_at DESC LIMIT 1), 'unknown'), 300))
            WHERE id = \(aid) AND state IN ('active', 'degraded', 'draining')
              AND (SELECT count(*) FROM recent WHERE status = 'error') = \(errors)
            RETURNING state_reason
            """, logger: logger)
        for try await reason in rows.decode(String.self) { return reason }
        return nil
    }

    /// Fills in `stateReason` and `health` for `agents`.
    func withHealth(_ agents: [AgentInfo]) async throws -> [AgentInfo] {
        guard !agents.isEmpty else { return agents }
        let rows = try await client.query("""
            SELECT a.id, a.state_reason,
                (SELECT b.p50_ms FROM health_checks b WHERE b.agent_id = a.id AND b.outcome = 'baseline'
                   AND b.target_signature = a.target_signature ORDER BY b.created_at LIMIT 1),
                l.p50_ms, l.outcome, l.created_at, (SELECT count(*) FROM health_checks c WHERE c.agent_id = a.id)::int
            FROM agents a LEFT JOIN LATERAL (
                SELECT p50_ms, outcome, created_at FROM health_checks WHERE agent_id = a.id ORDER BY created_at DESC, id DESC LIMIT 1
            ) l ON true
            """, logger: logger)
        var byID: [String: (String?, AgentHealth?)] = [:]
        for try await (id, reason, base, last, outcome, at, checks) in rows.decode((UUID, String?, Double?, Double?, String?, Date?, Int).self) {
            let health = checks == 0 ? nil : AgentHealth(baselineP50Ms: base, lastP50Ms: last, lastOutcome: outcome, lastCheckedAt: at, checks: checks)
            byID[id.uuidString.lowercased()] = (reason, health)
        }
        return agents.map { agent in
            var a = agent
            if let (reason, health) = byID[agent.agentID] {
                a.stateReason = reason
                a.health = health
            }
            return a
        }
    }
}
