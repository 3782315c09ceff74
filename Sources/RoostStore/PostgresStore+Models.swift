import Foundation
import PostgresNIO
import RoostCore

extension PostgresStore {
    /// New bytes get the name's next version (1 for a new name). The same bytes
    /// again under their own name change nothing; under another name they move
    /// to it as its next version (a rename). Two uploads racing for one name's
    /// next version: the loser retries with the one after.
    @discardableResult
    public func putModel(_ info: ModelInfo, content: Data) async throws -> ModelInfo {
        for attempt in 1...10 {
            do {
                let rows = try await client.query("""
                    WITH existing AS (SELECT sha256, name, version FROM models WHERE sha256 = \(info.sha256)),
                    next AS (SELECT COALESCE(max(version), 0) + 1 AS v FROM models WHERE name = \(info.name)),
                    ins AS (
                        INSERT INTO models (sha256, name, bytes, content, version)
                        SELECT \(info.sha256), \(info.name), \(info.bytes), \(content), next.v FROM next
                        WHERE NOT EXISTS (SELECT 1 FROM existing)
                        RETURNING version
                    ),
                    renamed AS (
                        UPDATE models SET name = \(info.name), version = (SELECT v FROM next)
                        WHERE sha256 = \(info.sha256) AND name <> \(info.name)
                        RETURNING version
                    )
                    SELECT COALESCE((SELECT version FROM ins), (SELECT version FROM renamed), (SELECT version FROM existing))::int
                    """, logger: logger)
                for try await version in rows.decode(Int.self) {
                    var stored = info
                    stored.version = version
                    return stored
                }
                throw RoostError.database("storing model \(info.name) returned no version")
            } catch let error as PSQLError where error.serverInfo?[.sqlState] == "23505" && attempt < 10 {
                continue
            }
        }
        throw RoostError.database("storing model \(info.name): its next version stayed taken")
    }

    /// Looks a model up by digest (full or a unique prefix of ≥ 8 hex digits),
    /// by name (its newest version) or by `NAME@VERSION`. An exact name wins over
    /// the other two readings, so a name that itself ends in `@2` still works.
    public func model(nameOrDigest key: String) async throws -> ModelInfo? {
        let isHex = key.count >= 8 && key.allSatisfy { $0.isHexDigit }
        var base = ""
        var version = 0
        if let at = key.lastIndex(of: "@"), let v = Int(key[key.index(after: at)...]), v > 0 {
            base = String(key[..<at])
            version = v
        }
        let rows = try await client.query("""
            SELECT m.sha256, m.name, m.bytes, m.version, (SELECT count(*)::int FROM models o WHERE o.name = m.name)
            FROM models m
            WHERE m.name = \(key) OR (m.name = \(base) AND m.version = \(version)) OR (\(isHex) AND m.sha256 LIKE \(key.lowercased() + "%"))
            ORDER BY (m.name = \(key)) DESC, (m.name = \(base) AND m.version = \(version)) DESC, m.version DESC, m.created_at DESC LIMIT 1
            """, logger: logger)
        for try await (sha, name, bytes, version, versions) in rows.decode((String, String, Int, Int, Int).self) {
            return ModelInfo(sha256: sha, name: name, bytes: bytes, version: version, versions: versions)
        }
        return nil
    }

    public func modelContent(sha256: String) async throws -> Data? {
        let rows = try await client.query("SELECT content FROM models WHERE sha256 = \(sha256)", logger: logger)
        for try await data in rows.decode(Data.self) { return data }
        return nil
    }

    public func artifact(model: String, targetSignature: String, compilerVersion: String) async throws -> (sha256: String, bytes: Int)? {
        let rows = try await client.query("""
            SELECT sha256, bytes FROM artifacts
            WHERE model_sha256 = \(model) AND target_signature = \(targetSignature) AND compiler_version = \(compilerVersion)
            """, logger: logger)
        for try await (sha, bytes) in rows.decode((String, Int).self) { return (sha, bytes) }
        return nil
    }

    public func putArtifact(sha256: String, model: String, target: TargetSpec, compilerVersion: String, content: Data) async throws {
        try await client.query("""
            INSERT INTO artifacts (sha256, model_sha256, target_signature, target, compiler_version, bytes, content)
            VALUES (\(sha256), \(model), \(target.signature), \(json(target))::jsonb, \(compilerVersion), \(content.count), \(content))
            ON CONFLICT DO NOTHING
            """, logger: logger)
    }

    /// An artifact's bytes. Engines that run the ONNX model itself use the model
    /// as their artifact, so models are served by digest too.
    public func artifactContent(sha256: String) async throws -> Data? {
        let rows = try await client.query("""
            SELECT content FROM artifacts WHERE sha256 = \(sha256)
            UNION ALL SELECT content FROM models WHERE sha256 = \(sha256) LIMIT 1
            """, logger: logger)
        for try await data in rows.decode(Data.self) { return data }
        return nil
    }

    /// A user-supplied reference replaces a computed one, never the other way round.
    public func putReference(model: String, _ reference: ReferenceData) async throws {
        try await client.query("""
            INSERT INTO model_references (model_sha256, source, data) VALUES (\(model), \(reference.source), \(json(reference))::jsonb)
            ON CONFLICT (model_sha256) DO UPDATE SET source = EXCLUDED.source, data = EXCLUDED.data, created_at = now()
            WHERE model_references.source = 'scheduler' OR EXCLUDED.source = 'user'
            """, logger: logger)
    }

    public func reference(model: String) async throws -> ReferenceData? {
        let rows = try await client.query("SELECT data::text FROM model_references WHERE model_sha256 = \(model)", logger: logger)
        for try await text in rows.decode(String.self) { return try decodeJSON(ReferenceData.self, text) }
        return nil
    }
}
