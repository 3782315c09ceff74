import Foundation
import PostgresNIO
import RoostCore

extension PostgresStore {
    /// The newest accepted result per matrix key (agent × engine × threads × batch ×
    /// scenario) for this model, and the baseline to compare it with: the rows of
    /// `compareTo` when given, else each key's previous result (an older benchmark).
    public func reportData(model: ModelInfo, compareTo: String? = nil) async throws -> ReportData {
        var baselineBenchmark: UUID?
        if let compareTo {
            guard let id = UUID(uuidString: compareTo) else { throw RoostError.invalidArgument("--compare-to must be a benchmark id (a UUID), not '\(compareTo)'") }
            baselineBenchmark = id
        }
        // rn = 1 is the current row of its key, rn = 2 the previous one.
        let rows = try await client.query("""
            WITH keyed AS (
                SELECT r.*, j.benchmark_id, j.target AS job_target,
                       row_number() OVER (
                           PARTITION BY r.agent_id, r.engine,
                                        COALESCE((r.environment->>'blasThreads')::int, (j.target->>'threads')::int),
                                        COALESCE((r.scenario_metrics->>'batch')::int, 1), r.scenario
                           ORDER BY r.created_at DESC) AS rn,
                       j.benchmark_id = \(baselineBenchmark) AS in_baseline
                FROM results r JOIN jobs j ON j.id = r.job_id JOIN benchmarks b ON b.id = j.benchmark_id
                WHERE b.model_sha256 = \(model.sha256) AND r.status = 'succeeded'
            )
            SELECT k.rn::int, COALESCE(k.in_baseline, false), k.benchmark_id, k.job_id, k.job_target::text, k.status, k.statistics::text, k.samples_ms,
                   k.environment::text, k.error, k.created_at,
                   a.id, a.name, a.state, a.tags::text, a.hardware::text, a.target::text, a.price_per_hour, a.last_heartbeat,
                   k.scenario, k.invalid_reasons::text, k.accuracy::text, k.scenario_metrics::text, k.tries::text
            FROM keyed k JOIN agents a ON a.id = k.agent_id
            WHERE k.rn <= 2 OR k.in_baseline
            ORDER BY a.name, k.engine, k.created_at DESC
            """, logger: logger)
        var current: [ReportRow] = []
        var previous: [ReportRow] = []
        var chosen: [ReportRow] = []
        for try await row in rows.decode((Int, Bool, UUID, UUID, String, String, String?, [Double], String, String?, Date,
                                          UUID, String, String, String, String, String, Double?, Date?,
                                          String, String, String?, String?, String?).self) {
            let agent = try agentInfo((row.11, row.12, row.13, row.14, row.15, row.16, row.17, row.18))
            var result = BenchmarkResult(
                status: row.5 == "succeeded" ? .succeeded : .error,
                statistics: try row.6.map { try decodeJSON(LatencyStatistics.self, $0) }, samplesMs: row.7,
                environment: try decodeJSON(RunEnvironment.self, row.8), errorMessage: row.9,
                scenario: Scenario(rawValue: row.19), validity: Validity(reasons: try decodeJSON([String].self, row.20)),
                accuracy: try row.21.map { try decodeJSON(AccuracyReport.self, $0) },
                scenarioMetrics: try row.22.map { try decodeJSON(ScenarioMetrics.self, $0) })
            result.tries = try row.23.map { try decodeJSON(RunTries.self, $0) }
            let r = ReportRow(benchmarkID: row.2.uuidString.lowercased(), jobID: row.3.uuidString.lowercased(), agent: agent,
                              target: try decodeJSON(TargetSpec.self, row.4), result: result, finishedAt: row.10)
            if row.0 == 1 { current.append(r) } else if row.0 == 2 { previous.append(r) }
            if row.1 { chosen.append(r) }
        }
        if baselineBenchmark != nil, chosen.isEmpty {
            throw RoostError.notFound("benchmark \(compareTo ?? "") has no accepted results for model \(model.name)")
        }
        return ReportData(model: model, rows: current, baseline: baselineBenchmark == nil ? previous : chosen)
    }

    /// Every stored model, newest first (`roost report --all`).
    public func models() async throws -> [ModelInfo] {
        let rows = try await client.query("SELECT sha256, name, bytes FROM models ORDER BY created_at DESC", logger: logger)
        var out: [ModelInfo] = []
        for try await (sha, name, bytes) in rows.decode((String, String, Int).self) { out.append(ModelInfo(sha256: sha, name: name, bytes: bytes)) }
        return out
    }

    /// Jobs per state, for the dashboard's queue depth.
    public func jobCountsByState() async throws -> [String: Int] {
        let rows = try await client.query("SELECT state, count(*)::int FROM jobs GROUP BY state", logger: logger)
        var out: [String: Int] = [:]
        for try await (state, n) in rows.decode((String, Int).self) { out[state] = n }
        return out
    }
}
