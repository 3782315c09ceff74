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
                SELECT r.*, j.benchmark_id, j.target AS job_target, b.labels,
                       row_number() OVER (
                           PARTITION BY r.agent_id, r.engine,
                                        COALESCE(\(unescaped: Self.safeInt("r.environment->>'blasThreads'")), (j.target->>'threads')::int),
                                        COALESCE(\(unescaped: Self.safeInt("r.scenario_metrics->>'batch'")), 1), r.scenario
                           ORDER BY r.created_at DESC) AS rn,
                       j.benchmark_id = \(baselineBenchmark) AS in_baseline
                FROM results r JOIN jobs j ON j.id = r.job_id JOIN benchmarks b ON b.id = j.benchmark_id
                WHERE b.model_sha256 = \(model.sha256) AND r.status = 'succeeded'
            )
            SELECT k.rn::int, COALESCE(k.in_baseline, false), k.benchmark_id, k.job_id, k.job_target::text, k.status, k.statistics::text, k.samples_ms,
                   k.environment::text, k.error, k.created_at,
                   a.id, a.name, a.state, a.tags::text, a.hardware::text, a.target::text, a.price_per_hour, a.last_heartbeat,
                   k.scenario, k.invalid_reasons::text, k.accuracy::text, k.scenario_metrics::text, k.labels::text, k.tries::text
            FROM keyed k JOIN agents a ON a.id = k.agent_id
            WHERE k.rn <= 2 OR k.in_baseline
            ORDER BY a.name, k.engine, k.created_at DESC
            """, logger: logger)
        var current: [ReportRow] = []
        var previous: [ReportRow] = []
        var chosen: [ReportRow] = []
        var unreadable: [UnreadableRow] = []
        // Row by row: one stored result that no longer reads (or fails today's
        // checks) is listed as unreadable, and the rest of the report renders.
        for try await row in rows {
            let cells = row.makeRandomAccess()
            let jobID = (try? cells[3].decode(UUID.self))?.uuidString.lowercased() ?? "unknown"
            do {
                let (rn, inBaseline, r) = try reportRow(row)
                try ResultCheck.semantics(r.result)
                if rn == 1 { current.append(r) } else if rn == 2 { previous.append(r) }
                if inBaseline { chosen.append(r) }
            } catch {
                if !unreadable.contains(where: { $0.jobID == jobID }) {
                    let reason = String(describing: error)
                    unreadable.append(UnreadableRow(jobID: jobID, reason: reason.count > 300 ? String(reason.prefix(300)) + "…" : reason))
                    logger.warning("unreadable result row left out of a report", metadata: ["job": "\(jobID)", "model": "\(model.name)", "error": "\(reason)"])
                }
            }
        }
        if baselineBenchmark != nil, chosen.isEmpty {
            throw RoostError.notFound("benchmark \(compareTo ?? "") has no accepted results for model \(model.name)")
        }
        return ReportData(model: model, rows: current, baseline: baselineBenchmark == nil ? previous : chosen, unreadable: unreadable)
    }

    /// A small non-negative integer out of a JSON text field, else NULL: a
    /// stored value of the wrong type must not fail the whole report's query.
    static func safeInt(_ expression: String) -> String {
        "CASE WHEN (\(expression)) ~ '^[0-9]{1,9}$' THEN (\(expression))::int END"
    }

    /// One row of `reportData`'s query: its rank, whether it is in the chosen baseline, and the row.
    private func reportRow(_ row: PostgresRow) throws -> (Int, Bool, ReportRow) {
        let row = try row.decode((Int, Bool, UUID, UUID, String, String, String?, [Double], String, String?, Date,
                                  UUID, String, String, String, String, String, Double?, Date?,
                                  String, String, String?, String?, String?, String?).self)
        let agent = try agentInfo((row.11, row.12, row.13, row.14, row.15, row.16, row.17, row.18))
        var result = BenchmarkResult(
            status: row.5 == "succeeded" ? .succeeded : .error,
            statistics: try row.6.map { try decodeJSON(LatencyStatistics.self, $0) }, samplesMs: row.7,
            environment: try decodeJSON(RunEnvironment.self, row.8), errorMessage: row.9,
            scenario: Scenario(rawValue: row.19), validity: Validity(reasons: try decodeJSON([String].self, row.20)),
            accuracy: try row.21.map { try decodeJSON(AccuracyReport.self, $0) },
            scenarioMetrics: try row.22.map { try decodeJSON(ScenarioMetrics.self, $0) })
        result.tries = try row.24.map { try decodeJSON(RunTries.self, $0) }
        let labels = try row.23.map { try decodeJSON([String: String].self, $0) } ?? [:]
        let r = ReportRow(benchmarkID: row.2.uuidString.lowercased(), jobID: row.3.uuidString.lowercased(), agent: agent,
                          target: try decodeJSON(TargetSpec.self, row.4), result: result, finishedAt: row.10,
                          labels: labels.isEmpty ? nil : labels)
        return (row.0, row.1, r)
    }

    /// Rows of the reports' column list (rank, in-baseline, result, agent, labels)
    /// as `ReportRow`s; a row that no longer reads is left out and logged.
    func reportRows(_ rows: PostgresRowSequence) async throws -> [(rank: Int, inBaseline: Bool, row: ReportRow)] {
        var out: [(rank: Int, inBaseline: Bool, row: ReportRow)] = []
        for try await row in rows {
            do {
                let (rank, inBaseline, r) = try reportRow(row)
                try ResultCheck.semantics(r.result)
                out.append((rank, inBaseline, r))
            } catch {
                logger.warning("unreadable result row left out of a comparison", metadata: ["error": "\(error)"])
            }
        }
        return out
    }

    /// Every stored model, newest first (`roost report --all`).
    public func models() async throws -> [ModelInfo] {
        let rows = try await client.query("""
            SELECT sha256, name, bytes, version, (count(*) OVER (PARTITION BY name))::int FROM models ORDER BY created_at DESC, version DESC
            """, logger: logger)
        var out: [ModelInfo] = []
        for try await (sha, name, bytes, version, versions) in rows.decode((String, String, Int, Int, Int).self) {
            out.append(ModelInfo(sha256: sha, name: name, bytes: bytes, version: version, versions: versions))
        }
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
