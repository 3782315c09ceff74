extension Migration {
    /// Issue 19: user tokens with a role, an optional expiry and revocation,
    /// stored by hash. The admin credentials of earlier versions become admin
    /// tokens named `admin.token`. Benchmarks remember the token that queued
    /// them (a submitter may cancel only its own); an agent's credential may be
    /// removed (`roost agent revoke`), so it may be null. Each artifact (and
    /// each model, the artifact of engines that run ONNX themselves) gets the
    /// scheduler's Ed25519 signature of its digest, size and model when stored.
    static let v13ScopedTokens = Migration(version: 13, name: "scoped tokens and artifact signatures", sql: """
        CREATE TABLE api_tokens (
            id          uuid PRIMARY KEY,
            name        text NOT NULL,
            role        text NOT NULL CHECK (role IN ('admin', 'submitter', 'viewer')),
            token_hash  text NOT NULL UNIQUE,
            created_at  timestamptz NOT NULL DEFAULT now(),
            expires_at  timestamptz,
            revoked_at  timestamptz
        );
        INSERT INTO api_tokens (id, name, role, token_hash, created_at)
            SELECT gen_random_uuid(), 'admin.token', 'admin', token_hash, created_at FROM admin_credentials;
        ALTER TABLE benchmarks ADD COLUMN created_by uuid;
        ALTER TABLE agents ALTER COLUMN credential_hash DROP NOT NULL;
        CREATE TABLE artifact_signatures (
            sha256        text PRIMARY KEY,
            model_sha256  text NOT NULL,
            bytes         bigint NOT NULL,
            signature     text NOT NULL,
            created_at    timestamptz NOT NULL DEFAULT now()
        );
        """)
}
