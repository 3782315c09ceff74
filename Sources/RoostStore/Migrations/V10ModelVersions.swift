extension Migration {
    /// Model names are unique per version: uploading other bytes under a name
    /// makes its next version instead of a second model the newest silently
    /// shadowed. Existing duplicates are numbered by upload time.
    static let v10ModelVersions = Migration(version: 10, name: "model versions", sql: """
        ALTER TABLE models ADD COLUMN version int;
        UPDATE models m SET version = v.n
            FROM (SELECT sha256, (row_number() OVER (PARTITION BY name ORDER BY created_at, sha256))::int AS n FROM models) v
            WHERE v.sha256 = m.sha256;
        ALTER TABLE models ALTER COLUMN version SET NOT NULL;
        CREATE UNIQUE INDEX models_name_version ON models (name, version);
        """)
}
