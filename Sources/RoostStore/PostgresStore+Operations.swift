import Foundation
import PostgresNIO
import RoostCore

/// Operating the farm: handing attempts back, cancelling benchmarks, draining,
/// pausing and resuming agents. Each transition is one statement guarded by the
/// state it expects, like the lease transitions.
extension PostgresStore {
    /// Requeues the attempt holding `leaseToken` without counting it (the attempt
    /// number goes back, so the next lease gets the same one) and records the
    /// hand-back in the history. A job cancelled meanwhile ends `cancelled`.
    /// False when the token is stale.
    public func releaseJob(jobID: String, leaseToken: String, agentID: String?, reason: String) async throws -> Bool {
        guard let jid = UUID(uuidString: jobID) else { return false }
        let agent = agentID.map { UUID(uuidString: $0) ?? UUID(uuid: UUID.nilBytes) }
        let rows = try await client.query("""
            UPDATE jobs SET state = CASE WHEN cancel_requested THEN 'cancelled' ELSE 'queued' END,
                attempt = CASE WHEN cancel_requested THEN attempt ELSE attempt - 1 END,
                error = CASE WHEN cancel_requested THEN 'cancelled while running' ELSE error END,
                attempts = attempts || (\(unescaped: Self.attemptRecord(.released)) || jsonb_build_object('error', \(reason)::text)),
                lease_token = NULL, lease_expires_at = NULL, phase = NULL, not_before = NULL, updated_at = now()
            WHERE id = \(jid) AND lease_token = \(leaseToken) AND state IN ('leased', 'running')
              AND (\(agent)::uuid IS NULL OR agent_id = \(agent))
            RETURNING id
            """, logger: logger)
        for try await _ in rows.decode(UUID.self) { return true }
        return false
    }

    /// Cancels a benchmark: queued (and exported) jobs become `cancelled` now; running attempts
    /// are flagged and stopped by their next heartbeat (or their lease's expiry).
    /// Nil when there is no such benchmark.
    public func cancelBenchmark(id: String) async throws -> CancelResponse? {
        guard let bid = UUID(uuidString: id) else { return nil }
        let rows = try await client.query("""
            WITH queued AS (
                UPDATE jobs SET state = 'cancelled', error = 'cancelled before it ran', not_before = NULL, updated_at = now()
                WHERE benchmark_id = \(bid) AND state IN ('queued', 'exported') RETURNING id
            ), running AS (
                UPDATE jobs SET cancel_requested = true, updated_at = now()
                WHERE benchmark_id = \(bid) AND state IN ('leased', 'running') RETURNING id
            )
            SELECT (SELECT count(*) FROM queued)::int, (SELECT count(*) FROM running)::int
            FROM benchmarks WHERE id = \(bid)
            """, logger: logger)
        for try await (cancelled, stopping) in rows.decode((Int, Int).self) {
            return CancelResponse(benchmarkID: bid.uuidString.lowercased(), cancelled: cancelled, stopping: stopping)
        }
        return nil
    }

    /// Applies an operator's action to the agent named `name`. Draining an idle
    /// agent pauses it at once (there is nothing to finish); resuming also ends
    /// `degraded` and `quarantined`.
    public func changeAgentState(name: String, action: AgentState.Action) async throws -> AgentStateChange {
        let from = AgentState.sources(of: action).map(\.rawValue)
        let target: String = switch action {
        case .pause: "'paused'"
        case .resume: "'active'"
        case .drain: """
            CASE WHEN state = 'paused' THEN 'paused'
                 WHEN EXISTS (SELECT 1 FROM jobs j WHERE j.agent_id = agents.id AND j.state IN ('leased', 'running')) THEN 'draining'
                 ELSE 'paused' END
            """
        }
        // A resume starts the job-error count afresh: the errors that quarantined it are the operator's to judge.
        let resume = action == .resume
        let rows = try await client.query("""
            UPDATE agents SET state = \(unescaped: target), state_reason = NULL,
                errors_count_since = CASE WHEN \(resume) THEN now() ELSE errors_count_since END
            WHERE name = \(name) AND state = ANY(\(from)) RETURNING id
            """, logger: logger)
        var changed = false
        for try await _ in rows.decode(UUID.self) { changed = true }
        guard let agent = try await agentStatuses(offlineAfterSeconds: AgentState.offlineAfterSeconds).first(where: { $0.name == name }) else {
            return .notFound
        }
        return changed ? .changed(agent) : .refused(agent)
    }

    /// A draining agent with no leased or running job has finished: it becomes
    /// `paused`. Called when the agent asks for work and when an attempt ends, and
    /// by the lease reaper for every agent (`nil`), for agents that died draining.
    public func settleDraining(agentID: String?) async throws {
        let aid = agentID.flatMap(UUID.init(uuidString:))
        if agentID != nil && aid == nil { return }
        try await client.query("""
            UPDATE agents SET state = 'paused'
            WHERE state = 'draining' AND (\(aid)::uuid IS NULL OR id = \(aid))
              AND NOT EXISTS (SELECT 1 FROM jobs WHERE jobs.agent_id = agents.id AND jobs.state IN ('leased', 'running'))
            """, logger: logger)
    }

    /// Every agent with what an operator needs beside it: its status (`offline`
    /// when heartbeats stopped, on the database clock) and its current job.
    public func agentStatuses(offlineAfterSeconds: Double) async throws -> [AgentInfo] {
        let rows = try await client.query("""
            SELECT \(unescaped: Self.agentColumns),
                CASE WHEN last_heartbeat IS NULL OR last_heartbeat < now() - make_interval(secs => \(offlineAfterSeconds))
                     THEN 'offline' ELSE state END,
                (SELECT j.id FROM jobs j WHERE j.agent_id = agents.id AND j.state IN ('leased', 'running')
                 ORDER BY j.updated_at DESC LIMIT 1)
            FROM agents ORDER BY name
            """, logger: logger)
        var out: [AgentInfo] = []
        for try await row in rows.decode((UUID, String, String, String, String, String, Double?, Date?, String, UUID?).self) {
            var info = try agentInfo((row.0, row.1, row.2, row.3, row.4, row.5, row.6, row.7))
            info.status = row.8
            info.currentJob = row.9?.uuidString.lowercased()
            out.append(info)
        }
        return try await withHealth(out)
    }
}
