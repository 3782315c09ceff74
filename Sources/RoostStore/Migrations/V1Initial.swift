extension Migration {
    /// The farm's core tables: who may run work, what is queued, what was measured.
    static let v1Initial = Migration(version: 1, name: "initial", sql: """
        CREATE TABLE admin_credentials (
            token_hash  text PRIMARY KEY,
            created_at  timestamptz NOT NULL DEFAULT now()
        );

        CREATE TABLE enrollment_tokens (
            token_hash  text PRIMARY KEY,
            created_at  timestamptz NOT NULL DEFAULT now(),
            expires_at  timestamptz NOT NULL,
            used_at     timestamptz,
            used_by     uuid
        );

        CREATE TABLE agents (
            id               uuid PRIMARY KEY,
            name             text NOT NULL UNIQUE,
            credential_hash  text NOT NULL UNIQUE,
            state            text NOT NULL DEFAULT 'active'
                             CHECK (state IN ('active', 'paused', 'draining', 'degraded', 'quarantined', 'offline')),
            tags             jsonb NOT NULL DEFAULT '{}',
            hardware         jsonb NOT NULL,
            target           jsonb NOT NULL,
            target_signature text NOT NULL,
            machine_id       text NOT NULL DEFAULT '',
            price_per_hour   double precision,
            profile          jsonb,
            enrolled_at      timestamptz NOT NULL DEFAULT now(),
            last_heartbeat   timestamptz
        );

        CREATE TABLE models (
            sha256      text PRIMARY KEY CHECK (sha256 ~ '^[0-9a-f]{64}$'),
            name        text NOT NULL,
            bytes       bigint NOT NULL,
            content     bytea NOT NULL,
            created_at  timestamptz NOT NULL DEFAULT now()
        );
        CREATE INDEX models_name ON models (name, created_at DESC);

        CREATE TABLE artifacts (
            sha256            text PRIMARY KEY CHECK (sha256 ~ '^[0-9a-f]{64}$'),
            model_sha256      text NOT NULL REFERENCES models,
            target_signature  text NOT NULL,
            target            jsonb NOT NULL,
            compiler_version  text NOT NULL,
            bytes             bigint NOT NULL,
            content           bytea NOT NULL,
            created_at        timestamptz NOT NULL DEFAULT now(),
            UNIQUE (model_sha256, target_signature, compiler_version)
        );

        CREATE TABLE benchmarks (
            id            uuid PRIMARY KEY,
            model_sha256  text NOT NULL REFERENCES models,
            targets       text NOT NULL,
            spec          jsonb NOT NULL,
            created_at    timestamptz NOT NULL DEFAULT now()
        );
        CREATE INDEX benchmarks_model ON benchmarks (model_sha256, created_at DESC);

        CREATE TABLE jobs (
            id                uuid PRIMARY KEY,
            benchmark_id      uuid NOT NULL REFERENCES benchmarks ON DELETE CASCADE,
            artifact_sha256   text NOT NULL REFERENCES artifacts,
            target_signature  text NOT NULL,
            target            jsonb NOT NULL,
            state             text NOT NULL DEFAULT 'queued'
                              CHECK (state IN ('queued', 'leased', 'running', 'succeeded', 'failed', 'error', 'cancelled')),
            priority          integer NOT NULL DEFAULT 0,
            attempt           integer NOT NULL DEFAULT 0,
            max_attempts      integer NOT NULL DEFAULT 3,
            lease_token       text,
            lease_expires_at  timestamptz,
            agent_id          uuid REFERENCES agents,
            phase             text,
            error             text,
            created_at        timestamptz NOT NULL DEFAULT now(),
            updated_at        timestamptz NOT NULL DEFAULT now()
        );
        CREATE INDEX jobs_queue ON jobs (target_signature, priority DESC, created_at) WHERE state = 'queued';
        CREATE INDEX jobs_leases ON jobs (lease_expires_at) WHERE state IN ('leased', 'running');
        CREATE INDEX jobs_benchmark ON jobs (benchmark_id);

        -- One accepted result per job: the primary key is the job.
        CREATE TABLE results (
            job_id          uuid PRIMARY KEY REFERENCES jobs ON DELETE CASCADE,
            attempt         integer NOT NULL,
            agent_id        uuid NOT NULL REFERENCES agents,
            status          text NOT NULL CHECK (status IN ('succeeded', 'error')),
            p50_ms          double precision,
            p90_ms          double precision,
            p99_ms          double precision,
            mean_ms         double precision,
            min_ms          double precision,
            max_ms          double precision,
            throughput_qps  double precision,
            sample_count    integer NOT NULL DEFAULT 0,
            samples_ms      double precision[] NOT NULL DEFAULT '{}',
            statistics      jsonb,
            environment     jsonb NOT NULL,
            error           text,
            created_at      timestamptz NOT NULL DEFAULT now()
        );
        """)
}
