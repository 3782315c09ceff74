import Foundation
import PostgresNIO
import RoostCore

/// Accepts a batch of results in one statement (see `PostgresStore.submitResults`),
/// prepared once per connection. The batch travels as one jsonb array, so
/// results with and without statistics, accuracy or errors share one fixed
/// statement. Each element carries the upload as the scheduler validated and
/// re-encoded it (`upload`; never the raw text, which may hold repeated keys);
/// PostgreSQL takes the columns out of it. Each row is accepted only with
/// its attempt's current lease token, from the agent holding it; the job's transition and its result row
/// commit together. A draining agent whose last job just succeeded is paused
/// in the same statement (the CTEs share one snapshot, so the jobs claimed here
/// are excluded by id); the route settles agents after error results itself,
/// after its quarantine check. Returns the `ord` of each accepted row.
struct AcceptResultsStatement: PostgresPreparedStatement {
    /// The result CTEs (`input`, `claimed`, `inserted`, `settled`) over a batch
    /// in `$1`; `AcceptAndLeaseStatement` continues them with a lease.
    static let resultCTEs = """
        input AS (
            SELECT i.ord, i.job_id, i.token, i.agent_id, i.state, i.outcome, i.error, i.engine, i.scenario, i.valid, i.invalid_reasons,
                   i.upload->'result' AS r
            FROM jsonb_to_recordset($1::jsonb) AS i(
                ord int, job_id uuid, token text, agent_id uuid, state text, outcome text, error text,
                engine text, scenario text, valid bool, invalid_reasons jsonb, upload jsonb)
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
              AND (i.agent_id IS NULL OR jobs.agent_id = i.agent_id)
            RETURNING jobs.id, jobs.attempt, jobs.agent_id, i.ord
        ),
        inserted AS (
            INSERT INTO results (job_id, attempt, agent_id, status, p50_ms, p90_ms, p99_ms, mean_ms, min_ms, max_ms,
                                 throughput_qps, sample_count, samples_ms, statistics, environment, error,
                                 engine, scenario, valid, invalid_reasons, accuracy, scenario_metrics, tries)
            SELECT c.id, c.attempt, c.agent_id, i.state,
                   (i.r #>> '{statistics,p50}')::float8, (i.r #>> '{statistics,p90}')::float8, (i.r #>> '{statistics,p99}')::float8,
                   (i.r #>> '{statistics,mean}')::float8, (i.r #>> '{statistics,min}')::float8, (i.r #>> '{statistics,max}')::float8,
                   (i.r #>> '{statistics,throughput}')::float8,
                   jsonb_array_length(i.r->'samplesMs'), translate((i.r->'samplesMs')::text, '[]', '{}')::float8[],
                   NULLIF(i.r->'statistics', 'null'), i.r->'environment', i.error,
                   i.engine, i.scenario, i.valid, i.invalid_reasons,
                   NULLIF(i.r->'accuracy', 'null'), NULLIF(i.r->'scenarioMetrics', 'null'), NULLIF(i.r->'tries', 'null')
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
        """
    static let sql = """
        WITH \(resultCTEs)
        SELECT c.ord FROM inserted JOIN claimed c ON c.id = inserted.job_id
        """
    typealias Row = Int

    /// The batch as one JSON array, written by hand around each re-encoded upload.
    var batch: [UInt8]

    func makeBindings() throws -> PostgresBindings {
        var b = PostgresBindings(capacity: 1)
        b.append(String(decoding: batch, as: UTF8.self))
        return b
    }

    func decodeRow(_ row: PostgresRow) throws -> Row { try row.decode(Int.self) }
}
