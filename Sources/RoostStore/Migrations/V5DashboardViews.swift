extension Migration {
    /// Stable views for dashboards (Dashboards/*.json) and ad-hoc SQL. A view's
    /// columns are only ever added in a new version, never changed, so a panel
    /// written against `roost_results_v2` keeps working as the tables evolve.
    static let v5DashboardViews = Migration(version: 5, name: "dashboard-views", sql: """
        CREATE VIEW roost_results_v2 AS
        SELECT r.job_id, j.benchmark_id, m.name AS model_name, m.sha256 AS model_sha256,
               a.name AS agent_name, a.state AS agent_state, a.tags AS agent_tags, a.hardware->>'cpuModel' AS cpu_model,
               a.hardware->>'arch' AS arch, j.target->>'isa' AS isa,
               COALESCE((r.environment->>'blasThreads')::int, (j.target->>'threads')::int) AS threads,
               r.engine, r.scenario, COALESCE((r.scenario_metrics->>'batch')::int, 1) AS batch,
               r.environment->>'blasCore' AS blas_core, r.status, r.valid, r.invalid_reasons,
               r.p50_ms, r.p90_ms, r.p99_ms, r.mean_ms, r.min_ms, r.max_ms,
               COALESCE((r.scenario_metrics->>'samplesPerSecond')::float8, r.throughput_qps) AS throughput_per_s,
               r.sample_count, (r.environment->>'peakRSSBytes')::bigint AS peak_rss_bytes,
               (r.accuracy->>'maxAbsError')::float8 AS max_abs_error, (r.accuracy->>'passed')::boolean AS accuracy_passed,
               a.price_per_hour,
               CASE WHEN a.price_per_hour IS NOT NULL AND COALESCE((r.scenario_metrics->>'samplesPerSecond')::float8, r.throughput_qps) > 0
                    THEN 1e6 / COALESCE((r.scenario_metrics->>'samplesPerSecond')::float8, r.throughput_qps) * a.price_per_hour / 3600 END
                    AS cost_per_million_usd,
               r.created_at
        FROM results r
        JOIN jobs j ON j.id = r.job_id
        JOIN benchmarks b ON b.id = j.benchmark_id
        JOIN models m ON m.sha256 = b.model_sha256
        JOIN agents a ON a.id = r.agent_id;
        CREATE VIEW roost_jobs_v1 AS
        SELECT j.id AS job_id, j.benchmark_id, m.name AS model_name, j.state, j.attempt, j.max_attempts,
               j.target->>'engine' AS engine, a.name AS agent_name, j.error, j.created_at, j.updated_at
        FROM jobs j
        JOIN benchmarks b ON b.id = j.benchmark_id
        JOIN models m ON m.sha256 = b.model_sha256
        LEFT JOIN agents a ON a.id = j.agent_id;
        CREATE VIEW roost_agents_v1 AS
        SELECT a.id AS agent_id, a.name AS agent_name, a.state, a.last_heartbeat, a.hardware->>'cpuModel' AS cpu_model,
               a.hardware->>'arch' AS arch, a.target->>'isa' AS isa, (a.target->>'threads')::int AS threads,
               a.price_per_hour, a.tags
        FROM agents a;
        """)
}
