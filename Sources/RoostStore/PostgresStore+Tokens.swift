import Foundation
import PostgresNIO
import RoostCore

/// What came of `roost token revoke ID`.
public enum TokenRevocation: Sendable, Equatable {
    case revoked(APITokenInfo)
    case notFound
    /// Refused: it is the last active admin token, and revoking it would lock
    /// every operator out (create another admin token first; that is rotation).
    case lastAdmin
}

/// User tokens (issue 19): hashed, with a role, an optional expiry and a
/// revocation time. Checked on every request (no cache), so an expiry or a
/// revocation takes effect at the next request.
extension PostgresStore {
    static let tokenLockKey: Int64 = 0x526F_6F73_7454_6F6B  // "RoostTok"
    static let tokenColumns = "id, name, role, created_at, expires_at, revoked_at"

    func tokenInfo(_ row: (UUID, String, String, Date, Date?, Date?)) -> APITokenInfo {
        APITokenInfo(id: row.0.uuidString.lowercased(), name: row.1, role: TokenRole(rawValue: row.2) ?? .viewer,
                     createdAt: row.3, expiresAt: row.4, revokedAt: row.5)
    }

    public func createAPIToken(hash: String, name: String, role: TokenRole, ttlSeconds: Double?) async throws -> APITokenInfo {
        let rows = try await client.query("""
            INSERT INTO api_tokens (id, name, role, token_hash, expires_at)
            VALUES (\(UUID()), \(name), \(role.rawValue), \(hash),
                    CASE WHEN \(ttlSeconds)::float8 IS NULL THEN NULL ELSE now() + make_interval(secs => \(ttlSeconds)::float8) END)
            RETURNING \(unescaped: Self.tokenColumns)
            """, logger: logger)
        for try await row in rows.decode((UUID, String, String, Date, Date?, Date?).self) { return tokenInfo(row) }
        throw RoostError.database("token insert returned nothing")
    }

    /// The token with this hash, whatever its state (the caller tells expired and revoked apart for its error).
    public func apiToken(hash: String) async throws -> APITokenInfo? {
        let rows = try await client.query("SELECT \(unescaped: Self.tokenColumns) FROM api_tokens WHERE token_hash = \(hash)", logger: logger)
        for try await row in rows.decode((UUID, String, String, Date, Date?, Date?).self) { return tokenInfo(row) }
        return nil
    }

    public func apiTokens() async throws -> [APITokenInfo] {
        let rows = try await client.query("SELECT \(unescaped: Self.tokenColumns) FROM api_tokens ORDER BY created_at, name", logger: logger)
        var out: [APITokenInfo] = []
        for try await row in rows.decode((UUID, String, String, Date, Date?, Date?).self) { out.append(tokenInfo(row)) }
        return out
    }

    /// Serialized by an advisory lock, so two operators revoking the last two
    /// admin tokens at once cannot both win: the last active admin token stays.
    public func revokeAPIToken(id: String) async throws -> TokenRevocation {
        guard let tid = UUID(uuidString: id) else { return .notFound }
        return try await client.withTransaction(logger: logger) { tx -> TokenRevocation in
            try await tx.query("SELECT pg_advisory_xact_lock(\(Self.tokenLockKey))", logger: logger)
            let rows = try await tx.query("""
                UPDATE api_tokens SET revoked_at = COALESCE(revoked_at, now())
                WHERE id = \(tid) AND (role <> 'admin' OR revoked_at IS NOT NULL OR EXISTS (
                    SELECT 1 FROM api_tokens o WHERE o.role = 'admin' AND o.revoked_at IS NULL
                        AND (o.expires_at IS NULL OR o.expires_at > now()) AND o.id <> \(tid)))
                RETURNING \(unescaped: Self.tokenColumns)
                """, logger: logger)
            for try await row in rows.decode((UUID, String, String, Date, Date?, Date?).self) { return .revoked(tokenInfo(row)) }
            let exists = try await tx.query("SELECT 1 FROM api_tokens WHERE id = \(tid)", logger: logger)
            for try await _ in exists.decode(Int.self) { return .lastAdmin }
            return .notFound
        }
    }

    /// Removes the agent's credential: its next request is refused (the
    /// scheduler's credential cache forgets within seconds). Nil: no such agent.
    public func revokeAgent(name: String) async throws -> String? {
        let rows = try await client.query("UPDATE agents SET credential_hash = NULL WHERE name = \(name) RETURNING id", logger: logger)
        for try await id in rows.decode(UUID.self) { return id.uuidString.lowercased() }
        return nil
    }

    public func setBenchmarkOwner(id: String, tokenID: String) async throws {
        guard let bid = UUID(uuidString: id), let tid = UUID(uuidString: tokenID) else { return }
        try await client.query("UPDATE benchmarks SET created_by = \(tid) WHERE id = \(bid)", logger: logger)
    }

    /// The token that queued the benchmark: `.some(nil)` when none is recorded, nil when there is no such benchmark.
    public func benchmarkOwner(id: String) async throws -> String?? {
        guard let bid = UUID(uuidString: id) else { return nil }
        let rows = try await client.query("SELECT created_by FROM benchmarks WHERE id = \(bid)", logger: logger)
        for try await owner in rows.decode(UUID?.self) { return .some(owner?.uuidString.lowercased()) }
        return nil
    }
}
