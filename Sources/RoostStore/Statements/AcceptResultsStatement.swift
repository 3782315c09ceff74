import Foundation
import PostgresNIO
import RoostCore

/// Accepts a batch of results in one statement (see `PostgresStore.submitResults`),
/// prepared once per connection. The batch travels as one jsonb array
/// (`AcceptResultsStatement.Row`), so results with and without statistics,
/// accuracy or errors share one fixed statement. Each row is accepted only with
/// its attempt's current lease token; the job's transition and its result row
/// commit together. A draining agent whose last job just succeeded is paused
/// in the same statement (the CTEs share one snapshot, so the jobs claimed here
/// are excluded by id); the route settles agents after error results itself,
/// after its quarantine check. Returns the `ord` of each accepted row.
struct AcceptResultsStatement: PostgresPreparedStatement {
    static let sql = """
        WITH input AS (
            SELECT * FROM jsonb_to_recordset($1::jsonb) AS i(
                ord int, job_id uuid, token text, state text, outcome text, error text,
                p50 float8, p90 float8, p99 float8, mean float8, min float8, max float8, throughput float8,
                samples float8[], statistics jsonb, environment jsonb, engine text, scenario text,
                valid bool, invalid_reasons jsonb, accuracy jsonb, scenario_metrics jsonb)
        ),
        claimed AS (
            UPDATE jobs SET state = i.state, lease_token = NULL, lease_expires_at = NULL, phase = NULL,
                error = i.error, updated_at = now(),
                attempts = jobs.attempts || (jsonb_build_object(
                    'attempt', jobs.attempt, 'agentName', (SELECT a.name FROM agents a WHERE a.id = jobs.agent_id),
                    'outcome', i.outcome, 'endedAt', to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'))
                    || jsonb_build_object('error', i.error))
            FROM input i
            WHERE jobs.id = i.job_id AND jobs.lease_token = i.token AND jobs.state IN ('leased', 'running')
            RETURNING jobs.id, jobs.attempt, jobs.agent_id, i.ord
        ),
        inserted AS (
            INSERT INTO results (job_id, attempt, agent_id, status, p50_ms, p90_ms, p99_ms, mean_ms, min_ms, max_ms,
                                 throughput_qps, sample_count, samples_ms, statistics, environment, error,
                                 engine, scenario, valid, invalid_reasons, accuracy, scenario_metrics)
            SELECT c.id, c.attempt, c.agent_id, i.state, i.p50, i.p90, i.p99, i.mean, i.min, i.max,
                   i.throughput, cardinality(i.samples), i.samples, i.statistics, i.environment, i.error,
                   i.engine, i.scenario, i.valid, i.invalid_reasons, i.accuracy, i.scenario_metrics
            FROM claimed c JOIN input i ON i.ord = c.ord
            RETURNING job_id
        ),
        settled AS (
            UPDATE agents SET state = 'paused'
            WHERE agents.state = 'draining'
              AND agents.id IN (SELECT c.agent_id FROM claimed c JOIN input i ON i.ord = c.ord WHERE i.state = 'succeeded')
              AND NOT EXISTS (SELECT 1 FROM jobs WHERE jobs.agent_id = agents.id AND jobs.state IN ('leased', 'running')
                                AND jobs.id NOT IN (SELECT id FROM claimed))
        )
        SELECT c.ord FROM inserted JOIN claimed c ON c.id = inserted.job_id
        """
    typealias Row = Int

    /// One result as the statement reads it.
    struct Input: Encodable {
        var ord: Int
        var job_id: String
        var token: String
        var state: String
        var outcome: String
        var error: String?
        var p50, p90, p99, mean, min, max, throughput: Double?
        var samples: [Double]
        var statistics: LatencyStatistics?
        var environment: RunEnvironment
        var engine: String
        var scenario: String
        var valid: Bool
        var invalid_reasons: [String]
        var accuracy: AccuracyReport?
        var scenario_metrics: ScenarioMetrics?
    }

    var inputs: [Input]

    func makeBindings() throws -> PostgresBindings {
        var b = PostgresBindings(capacity: 1)
        b.append(String(decoding: CanonicalJSON.encode(inputs), as: UTF8.self))
        return b
    }

    func decodeRow(_ row: PostgresRow) throws -> Row { try row.decode(Int.self) }
}
