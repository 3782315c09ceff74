extension Migration {
    /// A stable view for dashboards and ad-hoc SQL: one row per accepted result.
    /// Columns are only ever added to a versioned view, never changed.
    static let v2ResultsView = Migration(version: 2, name: "results-view", sql: """
        CREATE VIEW roost_results_v1 AS
        SELECT r.job_id, j.benchmark_id, m.name AS model_name, m.sha256 AS model_sha256,
               a.name AS agent_name, a.tags AS agent_tags, a.hardware->>'cpuModel' AS cpu_model,
               a.hardware->>'arch' AS arch, j.target->>'isa' AS isa, (j.target->>'threads')::int AS threads,
               r.environment->>'engine' AS engine, r.environment->>'blasCore' AS blas_core,
               r.status, r.p50_ms, r.p90_ms, r.p99_ms, r.mean_ms, r.min_ms, r.max_ms, r.throughput_qps,
               r.sample_count, a.price_per_hour, r.created_at
        FROM results r
        JOIN jobs j ON j.id = r.job_id
        JOIN benchmarks b ON b.id = j.benchmark_id
        JOIN models m ON m.sha256 = b.model_sha256
        JOIN agents a ON a.id = r.agent_id;
        """)
}
