extension Migration {
    /// Every try an agent made for a result (`BenchmarkResult.tries`): which one
    /// is reported and each one's verdict, figures and environment. Null for
    /// results from agents that never rerun; readers count those as one try.
    static let v12ResultTries = Migration(version: 12, name: "result tries", sql: """
        ALTER TABLE results ADD COLUMN tries jsonb;
        """)
}
