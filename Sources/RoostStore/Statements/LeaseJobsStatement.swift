import Foundation
import PostgresNIO
import RoostCore

/// The batch lease (see `PostgresStore.lease(agentIDs:…)`), prepared once per
/// connection of the store's queue pool, which plans it once (a generic plan):
/// planning this statement took longer than running it.
///
/// It commits asynchronously (`synchronous_commit = off` for this transaction
/// only): a lease lost in a database crash is harmless — the job is `queued`
/// again after recovery, and the agent that got it is refused (409) at its
/// first heartbeat or result and drops it. Results and every other transition
/// keep synchronous commits.
///
/// A poll is also the agent's heartbeat: `last_heartbeat` is refreshed here
/// for every asking agent whose last one is older than `$6` seconds. Done per
/// request in the route, that was one more statement per poll — and, with a
/// farm of agents started together, a burst of them every few seconds.
struct LeaseJobsStatement: PostgresPreparedStatement {
    static let sql = """
        WITH \(leaseCTEs(.init(first: 1), requests: "CROSS JOIN (SELECT set_config('synchronous_commit', 'off', true)) AS async_commit"))
        \(leaseUpdate(.init(first: 1)))
        """

    /// Where a statement binds the lease's inputs: six consecutive parameters
    /// from `first` (agent ids, lease tokens, target signatures, the candidate
    /// limit, lease seconds, heartbeat seconds).
    struct Parameters {
        var first: Int
        var agents: String { "$\(first)::uuid[]" }
        var tokens: String { "$\(first + 1)::text[]" }
        var signatures: String { "$\(first + 2)::text[]" }
        var limit: String { "$\(first + 3)" }
        var leaseSeconds: String { "$\(first + 4)" }
        var heartbeatSeconds: String { "$\(first + 5)" }
    }

    /// The CTEs `beat`, `req`, `candidates` and `next`. `requests` continues the
    /// join that makes `req` (agents in request order, active ones only);
    /// `beating` narrows which asking agents' heartbeats are refreshed.
    static func leaseCTEs(_ p: Parameters, requests: String, beating: String = "") -> String {
        """
        beat AS (
            UPDATE agents SET last_heartbeat = now(), state = CASE WHEN state = 'offline' THEN 'active' ELSE state END
            WHERE id = ANY(\(p.agents)) AND (last_heartbeat IS NULL OR last_heartbeat < now() - make_interval(secs => \(p.heartbeatSeconds)))\(beating)
        ),
        req AS (
            SELECT r.agent_id, r.token, row_number() OVER (ORDER BY r.ord) AS n, r.ord
            FROM unnest(\(p.agents), \(p.tokens)) WITH ORDINALITY AS r(agent_id, token, ord)
            JOIN agents a ON a.id = r.agent_id AND a.state = 'active'
            \(requests)
        ),
        candidates AS (
            SELECT c.id, c.priority, c.created_at FROM unnest(\(p.signatures)) AS t(signature) CROSS JOIN LATERAL (
                SELECT q.id, q.priority, q.created_at FROM jobs q
                WHERE q.state = 'queued' AND q.target_signature = t.signature
                  AND (q.not_before IS NULL OR q.not_before <= now())
                ORDER BY q.priority DESC, q.created_at, q.id
                LIMIT \(p.limit) FOR UPDATE SKIP LOCKED
            ) c
            WHERE EXISTS (SELECT 1 FROM req)
        ),
        next AS (
            SELECT id, row_number() OVER (ORDER BY priority DESC, created_at, id) AS n FROM candidates
        )
        """
    }

    /// The lease itself: the best candidates paired with the requests in order.
    /// Returns `Row`'s columns.
    static func leaseUpdate(_ p: Parameters) -> String {
        """
        UPDATE jobs j SET state = 'leased', attempt = j.attempt + 1, lease_token = req.token,
            lease_expires_at = now() + make_interval(secs => \(p.leaseSeconds)), agent_id = req.agent_id, updated_at = now(),
            not_before = NULL, phase = NULL, heartbeat_at = now()
        FROM next JOIN req ON req.n = next.n, benchmarks b, models m
        WHERE j.id = next.id AND b.id = j.benchmark_id AND m.sha256 = b.model_sha256
        RETURNING req.ord, req.token, j.id, j.benchmark_id, j.attempt, m.name, m.sha256, j.artifact_sha256,
                  COALESCE((SELECT a.bytes FROM artifacts a WHERE a.sha256 = j.artifact_sha256), m.bytes) AS bytes,
                  j.target::text AS target, b.spec::text AS spec
        """
    }

    /// The request's `ord`, then the leased job: token, job, benchmark, attempt,
    /// model name and digest, artifact digest and size, target and spec JSON.
    typealias Row = (Int, String, UUID, UUID, Int, String, String, String, Int, String, String)

    /// What a lease binds, in `Parameters`' order: one request per agent, in order.
    struct Inputs {
        var agentIDs: [UUID]
        var tokens: [String]
        var targetSignatures: [String]
        var leaseSeconds: Double
        var heartbeatSeconds: Double

        /// A fresh lease token per agent. An agent id that does not parse, or
        /// repeats an earlier one, becomes the nil UUID, which no agent has: it
        /// keeps its place (rows answer by `ord`) and is leased nothing.
        init(agents: [String], targetSignatures: [String], leaseSeconds: Double, heartbeatSeconds: Double) {
            var seen = Set<UUID>()
            agentIDs = agents.map { agent in
                UUID(uuidString: agent).flatMap { seen.insert($0).inserted ? $0 : nil } ?? UUID(uuid: (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0))
            }
            tokens = agents.map { _ in SecretToken.generate(prefix: "lease") }
            var distinct = Set<String>()
            self.targetSignatures = targetSignatures.filter { distinct.insert($0).inserted }
            self.leaseSeconds = leaseSeconds
            self.heartbeatSeconds = heartbeatSeconds
        }

        func append(to b: inout PostgresBindings) {
            b.append(agentIDs)
            b.append(tokens)
            b.append(targetSignatures)
            b.append(agentIDs.count)
            b.append(leaseSeconds)
            b.append(heartbeatSeconds)
        }

        /// The lease a row describes.
        func job(_ row: Row) -> LeasedJob {
            LeasedJob(jobID: row.2.uuidString.lowercased(), benchmarkID: row.3.uuidString.lowercased(), attempt: row.4,
                      leaseToken: row.1, leaseSeconds: leaseSeconds, modelName: row.5, modelSHA256: row.6,
                      artifactSHA256: row.7, artifactBytes: row.8, targetJSON: row.9, specJSON: row.10)
        }
    }

    var inputs: Inputs

    func makeBindings() throws -> PostgresBindings {
        var b = PostgresBindings(capacity: 6)
        inputs.append(to: &b)
        return b
    }

    func decodeRow(_ row: PostgresRow) throws -> Row { try row.decode(Row.self) }
}
