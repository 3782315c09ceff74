import Foundation
import PostgresNIO
import RoostCore

extension PostgresStore {
    /// The newest accepted result per agent for this model.
    public func reportData(model: ModelInfo) async throws -> ReportData {
        let rows = try await client.query("""
            SELECT DISTINCT ON (r.agent_id, r.engine) j.benchmark_id, j.id, j.target::text, r.status, r.statistics::text, r.samples_ms,
                   r.environment::text, r.error, r.created_at,
                   a.id, a.name, a.state, a.tags::text, a.hardware::text, a.target::text, a.price_per_hour, a.last_heartbeat,
                   r.scenario, r.invalid_reasons::text, r.accuracy::text, r.scenario_metrics::text
            FROM results r JOIN jobs j ON j.id = r.job_id JOIN benchmarks b ON b.id = j.benchmark_id JOIN agents a ON a.id = r.agent_id
            WHERE b.model_sha256 = \(model.sha256) AND r.status = 'succeeded'
            ORDER BY r.agent_id, r.engine, r.created_at DESC
            """, logger: logger)
        var out: [ReportRow] = []
        for try await row in rows.decode((UUID, UUID, String, String, String?, [Double], String, String?, Date,
                                          UUID, String, String, String, String, String, Double?, Date?,
                                          String, String, String?, String?).self) {
            let agent = try agentInfo((row.9, row.10, row.11, row.12, row.13, row.14, row.15, row.16))
            let reasons = try decodeJSON([String].self, row.18)
            let accuracy = try row.19.map { try decodeJSON(AccuracyReport.self, $0) }
            let result = BenchmarkResult(
                status: row.3 == "succeeded" ? .succeeded : .error,
                statistics: try row.4.map { try decodeJSON(LatencyStatistics.self, $0) }, samplesMs: row.5,
                environment: try decodeJSON(RunEnvironment.self, row.6), errorMessage: row.7,
                scenario: Scenario(rawValue: row.17), validity: Validity(reasons: reasons), accuracy: accuracy,
                scenarioMetrics: try row.20.map { try decodeJSON(ScenarioMetrics.self, $0) })
            out.append(ReportRow(benchmarkID: row.0.uuidString.lowercased(), jobID: row.1.uuidString.lowercased(), agent: agent,
                                 target: try decodeJSON(TargetSpec.self, row.2), result: result, finishedAt: row.8))
        }
        return ReportData(model: model, rows: out.sorted { $0.agent.name < $1.agent.name })
    }
}
