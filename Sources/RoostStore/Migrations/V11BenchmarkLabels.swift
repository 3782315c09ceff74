extension Migration {
    /// Labels (git commit, branch, …) stored with each benchmark, so a CI run can
    /// compare against "the newest benchmark labelled branch=main" and reports
    /// say which commit they measured. The GIN index serves that containment lookup.
    static let v11BenchmarkLabels = Migration(version: 11, name: "benchmark labels", sql: """
        ALTER TABLE benchmarks ADD COLUMN labels jsonb NOT NULL DEFAULT '{}'::jsonb;
        CREATE INDEX benchmarks_labels ON benchmarks USING gin (labels jsonb_path_ops);
        """)
}
