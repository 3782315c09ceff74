extension Migration {
    /// Vacuum `jobs` after a fixed number of changed rows, not a fraction of the
    /// table. Every lease leaves a dead entry at the head of `jobs_queue_ordered`
    /// that each following lease walks over until a vacuum removes it; with the
    /// default (20 % of the table) a farm with a long history would let the
    /// head grow for hours. After about 30 s of load, the head took a 10-job
    /// lease's index walk from 24 buffers (just vacuumed) to 327.
    static let v8QueueVacuum = Migration(version: 8, name: "queue vacuum", sql: """
        ALTER TABLE jobs SET (autovacuum_vacuum_scale_factor = 0, autovacuum_vacuum_threshold = 10000,
                              autovacuum_analyze_scale_factor = 0.05);
        """)
}
