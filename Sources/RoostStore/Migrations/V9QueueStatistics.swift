extension Migration {
    /// Cheaper statistics for `jobs`. Under load its analyze ran every few
    /// seconds (after 5 % of the table changed) and cost ≈ 320 ms of CPU on an
    /// 88,000-job table — 14 % of PostgreSQL's CPU in the load benchmark — most
    /// of it building statistics for payload columns no query filters on. Those
    /// get none, and analyze waits for 20 % of the table: the plans on `jobs`
    /// (the queue index walk, key lookups) do not move with fresher statistics.
    static let v9QueueStatistics = Migration(version: 9, name: "queue statistics", sql: """
        ALTER TABLE jobs ALTER COLUMN target SET STATISTICS 0, ALTER COLUMN attempts SET STATISTICS 0,
            ALTER COLUMN error SET STATISTICS 0, ALTER COLUMN phase SET STATISTICS 0;
        ALTER TABLE jobs SET (autovacuum_analyze_scale_factor = 0.2);
        """)
}
