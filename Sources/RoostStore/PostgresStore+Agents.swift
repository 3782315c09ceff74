import Foundation
import PostgresNIO
import RoostCore

extension PostgresStore {
    /// The bootstrap credential (`$ROOST_HOME/admin.token`) as an admin token.
    /// A revoked one stays revoked: a restart does not bring it back.
    public func ensureAdminCredential(hash: String) async throws -> Bool {
        try await client.query("INSERT INTO admin_credentials (token_hash) VALUES (\(hash)) ON CONFLICT DO NOTHING", logger: logger)
        let rows = try await client.query("""
            INSERT INTO api_tokens (id, name, role, token_hash) VALUES (\(UUID()), 'admin.token', 'admin', \(hash))
            ON CONFLICT (token_hash) DO NOTHING RETURNING token_hash
            """, logger: logger)
        for try await _ in rows.decode(String.self) { return true }
        return false
    }

    public func isAdmin(tokenHash: String) async throws -> Bool {
        let rows = try await client.query("""
            SELECT 1 FROM api_tokens WHERE token_hash = \(tokenHash) AND role = 'admin' AND revoked_at IS NULL
                AND (expires_at IS NULL OR expires_at > now())
            """, logger: logger)
        for try await _ in rows.decode(Int.self) { return true }
        return false
    }

    public func createEnrollmentToken(hash: String, ttlSeconds: Double) async throws -> Date {
        let rows = try await client.query("""
            INSERT INTO enrollment_tokens (token_hash, expires_at)
            VALUES (\(hash), now() + make_interval(secs => \(ttlSeconds))) RETURNING expires_at
            """, logger: logger)
        for try await expires in rows.decode(Date.self) { return expires }
        throw RoostError.database("token insert returned nothing")
    }

    /// Consumes the one-time token and creates (or re-enrolls, replacing the
    /// credential of) the agent named in the request, atomically. Returns the
    /// agent id, or nil when the token is unknown, used or expired.
    public func enroll(tokenHash: String, credentialHash: String, request: EnrollRequest, target: TargetSpec) async throws -> String? {
        let tags = json(request.tags), hardware = json(request.hardware), targetJSON = json(target)
        let profile = request.profile.map { json($0) }
        let price = request.profile?.pricePerHour
        let newID = UUID()
        return try await client.withTransaction(logger: logger) { tx -> String? in
            let consumed = try await tx.query("""
                UPDATE enrollment_tokens SET used_at = now(), used_by = \(newID)
                WHERE token_hash = \(tokenHash) AND used_at IS NULL AND expires_at > now()
                RETURNING token_hash
                """, logger: logger)
            var ok = false
            for try await _ in consumed.decode(String.self) { ok = true }
            guard ok else { return nil }
            let rows = try await tx.query("""
                INSERT INTO agents (id, name, credential_hash, tags, hardware, target, target_signature, machine_id, price_per_hour, profile, last_heartbeat)
                VALUES (\(newID), \(request.name), \(credentialHash), \(tags)::jsonb, \(hardware)::jsonb, \(targetJSON)::jsonb,
                        \(target.signature), \(request.hardware.machineID), \(price), \(profile)::jsonb, now())
                ON CONFLICT (name) DO UPDATE SET credential_hash = EXCLUDED.credential_hash, tags = EXCLUDED.tags,
                    hardware = EXCLUDED.hardware, target = EXCLUDED.target, target_signature = EXCLUDED.target_signature,
                    machine_id = EXCLUDED.machine_id, price_per_hour = EXCLUDED.price_per_hour, profile = EXCLUDED.profile,
                    state = 'active', state_reason = NULL, errors_count_since = now(), last_heartbeat = now()
                RETURNING id
                """, logger: logger)
            for try await id in rows.decode(UUID.self) { return id.uuidString.lowercased() }
            return nil
        }
    }

    static let agentColumns = "id, name, state, tags::text, hardware::text, target::text, price_per_hour, last_heartbeat"

    func agentInfo(_ row: (UUID, String, String, String, String, String, Double?, Date?)) throws -> AgentInfo {
        AgentInfo(
            agentID: row.0.uuidString.lowercased(), name: row.1, state: row.2,
            tags: try decodeJSON([String: String].self, row.3), hardware: try decodeJSON(HardwareProfile.self, row.4),
            target: try decodeJSON(TargetSpec.self, row.5), pricePerHour: row.6, lastHeartbeat: row.7)
    }

    public func agent(credentialHash: String) async throws -> AgentInfo? {
        let rows = try await client.query(
            "SELECT \(unescaped: Self.agentColumns) FROM agents WHERE credential_hash = \(credentialHash)", logger: logger)
        for try await row in rows.decode((UUID, String, String, String, String, String, Double?, Date?).self) { return try agentInfo(row) }
        return nil
    }

    public func agents() async throws -> [AgentInfo] {
        let rows = try await client.query("SELECT \(unescaped: Self.agentColumns) FROM agents ORDER BY name", logger: logger)
        var out: [AgentInfo] = []
        for try await row in rows.decode((UUID, String, String, String, String, String, Double?, Date?).self) { out.append(try agentInfo(row)) }
        return try await withHealth(out)
    }

    public func heartbeat(agentID: String, hardware: HardwareProfile?, target: TargetSpec?) async throws {
        guard let id = UUID(uuidString: agentID) else { return }
        if let hardware, let target {
            try await client.query("""
                UPDATE agents SET last_heartbeat = now(), hardware = \(json(hardware))::jsonb, target = \(json(target))::jsonb,
                    target_signature = \(target.signature), state = CASE WHEN state = 'offline' THEN 'active' ELSE state END
                WHERE id = \(id)
                """, logger: logger)
        } else {
            try await client.query("""
                UPDATE agents SET last_heartbeat = now(), state = CASE WHEN state = 'offline' THEN 'active' ELSE state END
                WHERE id = \(id)
                """, logger: logger)
        }
    }
}
