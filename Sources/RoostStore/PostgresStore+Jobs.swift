import Foundation
import PostgresNIO
import RoostCore

extension PostgresStore {
    public func createBenchmark(id: String, model: String, targets: String, spec: BenchmarkSpec, jobs: [NewJob],
                                labels: [String: String]) async throws {
        try await insertBenchmark(id: id, model: model, targets: targets, spec: spec, jobs: jobs, labels: labels, bundle: nil)
    }

    /// A benchmark and its jobs in one transaction; with `bundle`, also the
    /// bundle row, and the jobs wait `exported` for its import instead of `queued`.
    func insertBenchmark(id: String, model: String, targets: String, spec: BenchmarkSpec, jobs: [NewJob],
                         labels: [String: String], bundle: (id: UUID, resultKey: String)?) async throws {
        guard let bid = UUID(uuidString: id) else { throw RoostError.invalidArgument("bad benchmark id") }
        let specJSON = json(spec)
        let labelsJSON = json(labels)
        let state = bundle == nil ? "queued" : "exported"
        try await client.withTransaction(logger: logger) { tx in
            try await tx.query("""
                INSERT INTO benchmarks (id, model_sha256, targets, spec, labels)
                VALUES (\(bid), \(model), \(targets), \(specJSON)::jsonb, \(labelsJSON)::jsonb)
                """, logger: logger)
            if let bundle {
                try await tx.query("INSERT INTO bundles (id, benchmark_id, result_key) VALUES (\(bundle.id), \(bid), \(bundle.resultKey))", logger: logger)
            }
            for job in jobs {
                guard let jid = UUID(uuidString: job.id) else { throw RoostError.invalidArgument("bad job id") }
                let target = json(job.target)
                try await tx.query("""
                    INSERT INTO jobs (id, benchmark_id, artifact_sha256, target_signature, target, state, bundle_id)
                    VALUES (\(jid), \(bid), \(job.artifactSHA256), \(job.target.signature), \(target)::jsonb, \(state), \(bundle?.id))
                    """, logger: logger)
            }
        }
    }

    public func benchmarkStatus(id: String) async throws -> BenchmarkStatus? {
        guard let bid = UUID(uuidString: id) else { return nil }
        return try await benchmarks(where: "b.id = $1", bind: bid, limit: 1).first
    }

    public func recentBenchmarks(limit: Int) async throws -> [BenchmarkStatus] {
        try await benchmarks(where: "true", bind: nil, limit: limit)
    }

    private func benchmarks(where condition: String, bind: UUID?, limit: Int) async throws -> [BenchmarkStatus] {
        var bindings = PostgresBindings()
        if let bind { bindings.append(bind) }
        let heads = try await client.query(PostgresQuery(unsafeSQL: """
            SELECT b.id, b.targets, b.created_at, m.sha256, m.name, m.bytes, b.labels::text FROM benchmarks b
            JOIN models m ON m.sha256 = b.model_sha256 WHERE \(condition) ORDER BY b.created_at DESC LIMIT \(limit)
            """, binds: bindings), logger: logger)
        var out: [BenchmarkStatus] = []
        for try await (id, targets, created, sha, name, bytes, labels) in heads.decode((UUID, String, Date, String, String, Int, String).self) {
            out.append(BenchmarkStatus(benchmarkID: id.uuidString.lowercased(), model: ModelInfo(sha256: sha, name: name, bytes: bytes),
                                       targets: targets, createdAt: created, jobs: [], labels: try decodeJSON([String: String].self, labels)))
        }
        for i in out.indices {
            let bid = UUID(uuidString: out[i].benchmarkID)!
            let rows = try await client.query("""
                SELECT j.id, j.state, j.attempt, j.target::text, a.name, COALESCE(j.error, r.error), j.phase, j.not_before, j.attempts::text
                FROM jobs j LEFT JOIN agents a ON a.id = j.agent_id LEFT JOIN results r ON r.job_id = j.id
                WHERE j.benchmark_id = \(bid) ORDER BY j.created_at, j.id
                """, logger: logger)
            for try await (jid, state, attempt, target, agent, error, phase, notBefore, attempts)
                in rows.decode((UUID, String, Int, String, String?, String?, String?, Date?, String).self) {
                out[i].jobs.append(JobSummary(jobID: jid.uuidString.lowercased(), state: state, attempt: attempt,
                                              target: try decodeJSON(TargetSpec.self, target), agentName: agent, errorMessage: error,
                                              phase: phase, notBefore: notBefore, attempts: try decodeJSON([JobAttempt].self, attempts)))
            }
        }
        return out
    }

    /// Extends the lease of the current attempt; nil when the token is stale.
    /// A cancel requested since the last beat ends the attempt here, in the same
    /// statement: the job becomes `cancelled` and the reply tells the agent to stop.
    public func heartbeatJob(jobID: String, leaseToken: String, agentID: String?, phase: String, leaseSeconds: Double) async throws -> JobHeartbeatResponse? {
        guard let jid = UUID(uuidString: jobID) else { return nil }
        let agent = agentID.map { UUID(uuidString: $0) ?? UUID(uuid: UUID.nilBytes) }
        let rows = try await client.query("""
            UPDATE jobs SET state = CASE WHEN cancel_requested THEN 'cancelled' ELSE 'running' END,
                phase = \(phase), heartbeat_at = now(), updated_at = now(),
                lease_expires_at = CASE WHEN cancel_requested THEN NULL ELSE now() + make_interval(secs => \(leaseSeconds)) END,
                lease_token = CASE WHEN cancel_requested THEN NULL ELSE lease_token END,
                error = CASE WHEN cancel_requested THEN 'cancelled while running' ELSE error END,
                attempts = CASE WHEN cancel_requested
                    THEN attempts || (\(unescaped: Self.attemptRecord(.cancelled)) || jsonb_build_object('error', 'cancelled while running'))
                    ELSE attempts END
            WHERE id = \(jid) AND lease_token = \(leaseToken) AND state IN ('leased', 'running')
              AND (\(agent)::uuid IS NULL OR agent_id = \(agent))
            RETURNING cancel_requested
            """, logger: logger)
        for try await cancel in rows.decode(Bool.self) { return JobHeartbeatResponse(leaseSeconds: leaseSeconds, cancel: cancel) }
        return nil
    }

    /// Returns expired leases to the queue (attempt kept, so the next lease counts
    /// up) after an exponential backoff on the database clock, or fails them after
    /// the last attempt; each expiry is recorded in the job's attempt history. An
    /// expired attempt whose job was cancelled ends `cancelled`. Safe to run from
    /// every scheduler: one guarded statement.
    public func requeueExpiredLeases(backoffSeconds: Double, maxBackoffSeconds: Double) async throws -> Int {
        try await expireLeases(backoffSeconds: backoffSeconds, maxBackoffSeconds: maxBackoffSeconds).count
    }

    /// `requeueExpiredLeases`, telling which jobs and agents, for the reaper's log lines.
    public func expireLeases(backoffSeconds: Double, maxBackoffSeconds: Double) async throws -> [ExpiredLease] {
        try await endAttempts(
            where: "lease_expires_at < now()",
            error: "'lease expired: no heartbeat since ' || COALESCE(to_char(heartbeat_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS \"UTC\"'), 'the lease')",
            backoffSeconds: backoffSeconds, maxBackoffSeconds: maxBackoffSeconds)
    }

    /// Ends the attempts an agent still holds when a new process of it starts
    /// (it holds none by then), exactly as an expiry would, without waiting for
    /// the lease to lapse: the attempt counts, and the job is requeued after the
    /// backoff or failed after the last attempt.
    public func releaseOrphanedLeases(agentID: String, backoffSeconds: Double, maxBackoffSeconds: Double) async throws -> [ExpiredLease] {
        guard let aid = UUID(uuidString: agentID) else { return [] }
        return try await endAttempts(
            where: "agent_id = '\(aid.uuidString.lowercased())'::uuid",
            error: "'the agent restarted while holding the lease'",
            backoffSeconds: backoffSeconds, maxBackoffSeconds: maxBackoffSeconds)
    }

    /// Ends every live attempt matching `condition` (trusted SQL, never user
    /// input) with the `lease-expired` outcome and `error` (an SQL text
    /// expression) in its history. One guarded statement, safe from every scheduler.
    private func endAttempts(where condition: String, error: String, backoffSeconds: Double, maxBackoffSeconds: Double) async throws -> [ExpiredLease] {
        let rows = try await client.query("""
            UPDATE jobs SET
                state = CASE WHEN cancel_requested THEN 'cancelled' WHEN attempt >= max_attempts THEN 'failed' ELSE 'queued' END,
                error = CASE WHEN cancel_requested THEN 'cancelled while running'
                             WHEN attempt >= max_attempts THEN format('lease expired on attempt %s of %s', attempt, max_attempts)
                             ELSE error END,
                not_before = CASE WHEN cancel_requested OR attempt >= max_attempts THEN NULL
                    ELSE now() + make_interval(secs => least(\(maxBackoffSeconds), \(backoffSeconds) * power(2, greatest(attempt - 1, 0)))) END,
                attempts = attempts || (\(unescaped: Self.attemptRecord(.leaseExpired)) || jsonb_build_object('error', \(unescaped: error))),
                lease_token = NULL, lease_expires_at = NULL, phase = NULL, updated_at = now()
            WHERE state IN ('leased', 'running') AND \(unescaped: condition)
            RETURNING id, (SELECT a.name FROM agents a WHERE a.id = jobs.agent_id), attempt, state
            """, logger: logger)
        var out: [ExpiredLease] = []
        for try await (id, agent, attempt, state) in rows.decode((UUID, String?, Int, String).self) {
            out.append(ExpiredLease(jobID: id.uuidString.lowercased(), agentName: agent, attempt: attempt, state: state))
        }
        return out
    }

    /// The jsonb object of one finished attempt of the `jobs` row being updated;
    /// the caller merges its `error` in, in parentheses (`a || (b || c)`), since
    /// `||` on an array appends each operand in turn. See `JobAttempt`.
    static func attemptRecord(_ outcome: JobAttempt.Outcome) -> String {
        """
        jsonb_build_object('attempt', attempt, 'agentName', (SELECT a.name FROM agents a WHERE a.id = jobs.agent_id),
            'outcome', '\(outcome.rawValue)', 'endedAt', to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'))
        """
    }

    /// Who holds `jobID`'s current attempt with this lease token, when someone
    /// does: how a refused heartbeat, result or release tells a foreign
    /// credential (403) from a stale token (409).
    public func leaseHolder(jobID: String, leaseToken: String) async throws -> (agentID: String, name: String)? {
        guard let jid = UUID(uuidString: jobID) else { return nil }
        let rows = try await client.query("""
            SELECT a.id, a.name FROM jobs j JOIN agents a ON a.id = j.agent_id
            WHERE j.id = \(jid) AND j.lease_token = \(leaseToken) AND j.state IN ('leased', 'running')
            """, logger: logger)
        for try await (id, name) in rows.decode((UUID, String).self) { return (id.uuidString.lowercased(), name) }
        return nil
    }

    /// The spec of the benchmark `jobID` belongs to (a result's limits depend on it).
    public func jobSpec(jobID: String) async throws -> BenchmarkSpec? {
        guard let jid = UUID(uuidString: jobID) else { return nil }
        let rows = try await client.query("""
            SELECT b.spec::text FROM jobs j JOIN benchmarks b ON b.id = j.benchmark_id WHERE j.id = \(jid)
            """, logger: logger)
        for try await text in rows.decode(String.self) { return try decodeJSON(BenchmarkSpec.self, text) }
        return nil
    }
}
