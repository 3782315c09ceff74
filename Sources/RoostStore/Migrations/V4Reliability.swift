extension Migration {
    /// Leases that survive agents and networks: a retry backoff on requeue, a
    /// cancel flag the next heartbeat delivers, the last heartbeat's time, and
    /// every finished attempt's outcome (a `failed` job keeps all its errors).
    static let v4Reliability = Migration(version: 4, name: "reliability", sql: """
        ALTER TABLE jobs ADD COLUMN not_before timestamptz;
        ALTER TABLE jobs ADD COLUMN cancel_requested boolean NOT NULL DEFAULT false;
        ALTER TABLE jobs ADD COLUMN heartbeat_at timestamptz;
        ALTER TABLE jobs ADD COLUMN attempts jsonb NOT NULL DEFAULT '[]';
        CREATE INDEX jobs_agent_current ON jobs (agent_id) WHERE state IN ('leased', 'running');
        """)
}
