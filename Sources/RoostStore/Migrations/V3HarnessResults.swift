extension Migration {
    /// The standardized harness: validity, accuracy and scenario figures with every
    /// result, reference data per model, and jobs for engines that run the ONNX
    /// model itself (their artifact is the model, so the artifact key is no longer
    /// a foreign key into `artifacts`).
    static let v3HarnessResults = Migration(version: 3, name: "harness-results", sql: """
        ALTER TABLE results ADD COLUMN engine text NOT NULL DEFAULT 'native';
        ALTER TABLE results ADD COLUMN scenario text NOT NULL DEFAULT 'single-stream';
        ALTER TABLE results ADD COLUMN valid boolean NOT NULL DEFAULT true;
        ALTER TABLE results ADD COLUMN invalid_reasons jsonb NOT NULL DEFAULT '[]';
        ALTER TABLE results ADD COLUMN accuracy jsonb;
        ALTER TABLE results ADD COLUMN scenario_metrics jsonb;
        ALTER TABLE jobs DROP CONSTRAINT jobs_artifact_sha256_fkey;
        CREATE TABLE model_references (
            model_sha256  text PRIMARY KEY REFERENCES models,
            source        text NOT NULL CHECK (source IN ('user', 'scheduler')),
            data          jsonb NOT NULL,
            created_at    timestamptz NOT NULL DEFAULT now()
        );
        """)
}
