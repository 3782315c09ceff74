import Foundation
import PostgresNIO
import RoostCore

extension PostgresStore {
    public func putModel(_ info: ModelInfo, content: Data) async throws {
        // Same bytes, same digest: a re-upload may only rename.
        try await client.query("""
            INSERT INTO models (sha256, name, bytes, content) VALUES (\(info.sha256), \(info.name), \(info.bytes), \(content))
            ON CONFLICT (sha256) DO UPDATE SET name = EXCLUDED.name
            """, logger: logger)
    }

    /// Looks a model up by digest (full or a unique prefix of ≥ 8 hex digits) or by name (newest upload wins).
    public func model(nameOrDigest key: String) async throws -> ModelInfo? {
        let isHex = key.count >= 8 && key.allSatisfy { $0.isHexDigit }
        let rows = try await client.query("""
            SELECT sha256, name, bytes FROM models
            WHERE name = \(key) OR (\(isHex) AND sha256 LIKE \(key.lowercased() + "%"))
            ORDER BY (name = \(key)) DESC, created_at DESC LIMIT 1
            """, logger: logger)
        for try await (sha, name, bytes) in rows.decode((String, String, Int).self) { return ModelInfo(sha256: sha, name: name, bytes: bytes) }
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
