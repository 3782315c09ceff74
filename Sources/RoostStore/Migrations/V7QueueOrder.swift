extension Migration {
    /// The queue index in the lease's full order. The jobs of one benchmark share
    /// `created_at` (one transaction), so without `id` as the last key the lease
    /// (`ORDER BY priority DESC, created_at, id`) sorted every tied job on each
    /// call instead of reading the index head.
    static let v7QueueOrder = Migration(version: 7, name: "queue order", sql: """
        CREATE INDEX jobs_queue_ordered ON jobs (target_signature, priority DESC, created_at, id) WHERE state = 'queued';
        DROP INDEX jobs_queue;
        """)
}
