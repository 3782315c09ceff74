extension Migration {
    /// Issue 19: offline bundles. A bundle is a benchmark whose jobs were
    /// exported for a board without network: they wait in the new state
    /// `exported` (no agent leases them) until their results are imported. The
    /// bundle keeps the key that seals its results file. An imported result
    /// records the sha256 of the results-file entry it came from, so importing
    /// the same file again is recognised and changes nothing. The board becomes
    /// an agent row without a credential, marked `offline_board`.
    static let v14OfflineBundles = Migration(version: 14, name: "offline bundles", sql: """
        CREATE TABLE bundles (
            id            uuid PRIMARY KEY,
            benchmark_id  uuid NOT NULL REFERENCES benchmarks ON DELETE CASCADE,
            result_key    text NOT NULL,
            created_at    timestamptz NOT NULL DEFAULT now()
        );
        ALTER TABLE jobs ADD COLUMN bundle_id uuid REFERENCES bundles ON DELETE CASCADE;
        ALTER TABLE jobs DROP CONSTRAINT jobs_state_check;
        ALTER TABLE jobs ADD CONSTRAINT jobs_state_check
            CHECK (state IN ('queued', 'leased', 'running', 'succeeded', 'failed', 'error', 'cancelled', 'exported'));
        CREATE INDEX jobs_bundle ON jobs (bundle_id) WHERE bundle_id IS NOT NULL;
        ALTER TABLE results ADD COLUMN imported_sha256 text;
        ALTER TABLE agents ADD COLUMN offline_board boolean NOT NULL DEFAULT false;
        """)
}
