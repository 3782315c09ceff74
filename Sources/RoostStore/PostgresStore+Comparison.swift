import Foundation
import PostgresNIO
import RoostCore

extension PostgresStore {
    /// One benchmark's accepted results (the CI gate's "current") and, when asked,
    /// a baseline benchmark's: by id, or by `key=value` label — the newest earlier
    /// benchmark carrying it whose model has the same name and that has accepted
    /// results. The baseline may be of another model digest: a changed model is
    /// the point of the comparison. Nil when `id` is no benchmark. A label that
    /// no earlier benchmark carries gives no baseline rows (a branch's first run);
    /// an id that has no accepted results is an error.
    public func benchmarkReportData(id: String, baseline: String?) async throws -> ReportData? {
        guard let bid = UUID(uuidString: id), let head = try await benchmarkStatus(id: id) else { return nil }
        var baselineID: UUID?
        if let baseline {
            baselineID = try await resolveBaseline(baseline, for: bid, modelName: head.model.name)
            if baselineID == nil { return ReportData(model: head.model, rows: try await benchmarkReportData(id: id, baseline: nil)?.rows ?? []) }
        }
        let rows = try await client.query("""
            SELECT 1, COALESCE(j.benchmark_id = \(baselineID), false), j.benchmark_id, r.job_id, j.target::text, r.status, r.statistics::text, r.samples_ms,
                   r.environment::text, r.error, r.created_at,
                   a.id, a.name, a.state, a.tags::text, a.hardware::text, a.target::text, a.price_per_hour, a.last_heartbeat,
                   r.scenario, r.invalid_reasons::text, r.accuracy::text, r.scenario_metrics::text, b.labels::text, r.tries::text
            FROM results r JOIN jobs j ON j.id = r.job_id JOIN benchmarks b ON b.id = j.benchmark_id JOIN agents a ON a.id = r.agent_id
            WHERE r.status = 'succeeded' AND (j.benchmark_id = \(bid) OR j.benchmark_id = \(baselineID))
            ORDER BY a.name, r.engine, r.created_at DESC
            """, logger: logger)
        var current: [ReportRow] = []
        var chosen: [ReportRow] = []
        for (_, inBaseline, r) in try await reportRows(rows) {
            if inBaseline { chosen.append(r) } else { current.append(r) }
        }
        return ReportData(model: head.model, rows: current, baseline: chosen)
    }

    /// A baseline reference to a benchmark id that has accepted results.
    private func resolveBaseline(_ reference: String, for current: UUID, modelName: String) async throws -> UUID? {
        if let id = UUID(uuidString: reference) {
            guard id != current else { throw RoostError.invalidArgument("a benchmark cannot be its own baseline") }
            let rows = try await client.query("""
                SELECT count(*)::int FROM results r JOIN jobs j ON j.id = r.job_id WHERE j.benchmark_id = \(id) AND r.status = 'succeeded'
                """, logger: logger)
            var count = 0
            for try await n in rows.decode(Int.self) { count = n }
            guard count > 0 else { throw RoostError.notFound("baseline benchmark \(reference) has no accepted results") }
            return id
        }
        let (key, value) = try BenchmarkLabels.parse(reference)
        let wanted = json([key: value])
        let rows = try await client.query("""
            SELECT b.id FROM benchmarks b JOIN models m ON m.sha256 = b.model_sha256
            WHERE b.labels @> \(wanted)::jsonb AND m.name = \(modelName) AND b.id <> \(current)
              AND b.created_at <= (SELECT created_at FROM benchmarks WHERE id = \(current))
              AND EXISTS (SELECT 1 FROM jobs j JOIN results r ON r.job_id = j.id WHERE j.benchmark_id = b.id AND r.status = 'succeeded')
            ORDER BY b.created_at DESC LIMIT 1
            """, logger: logger)
        for try await id in rows.decode(UUID.self) { return id }
        return nil
    }
}
