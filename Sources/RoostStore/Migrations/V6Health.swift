extension Migration {
    /// Agent health: every run of the golden benchmark with its raw samples (the
    /// first on a target is that agent's baseline), why an agent is `degraded` or
    /// `quarantined`, and since when its job errors count towards quarantine (an
    /// operator's resume starts the count afresh).
    static let v6Health = Migration(version: 6, name: "health", sql: """
        CREATE TABLE health_checks (
            id                bigserial PRIMARY KEY,
            agent_id          uuid NOT NULL REFERENCES agents ON DELETE CASCADE,
            benchmark         text NOT NULL,
            target_signature  text NOT NULL,
            outcome           text NOT NULL CHECK (outcome IN ('baseline', 'healthy', 'degraded', 'failed')),
            samples_ms        double precision[] NOT NULL DEFAULT '{}',
            p50_ms            double precision,
            ratio             double precision,
            p_value           double precision,
            error             text,
            created_at        timestamptz NOT NULL DEFAULT now()
        );
        CREATE INDEX health_checks_agent ON health_checks (agent_id, created_at DESC);
        CREATE UNIQUE INDEX health_checks_baseline ON health_checks (agent_id, benchmark, target_signature) WHERE outcome = 'baseline';
        ALTER TABLE agents ADD COLUMN state_reason text;
        ALTER TABLE agents ADD COLUMN errors_count_since timestamptz NOT NULL DEFAULT now();
        CREATE VIEW roost_health_checks_v1 AS
        SELECT h.id, a.name AS agent_name, h.benchmark, h.target_signature, h.outcome, h.p50_ms, h.ratio, h.p_value,
               cardinality(h.samples_ms) AS sample_count, h.error, h.created_at
        FROM health_checks h JOIN agents a ON a.id = h.agent_id;
        """)
}
