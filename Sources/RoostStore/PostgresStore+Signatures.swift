import Foundation
import PostgresNIO
import RoostCore

/// Artifact signatures (issue 19). The store keeps them; only the scheduler,
/// which holds the key, makes them.
extension PostgresStore {
    /// A signature made when the artifact was stored; a second one for the same digest is ignored.
    public func putArtifactSignature(_ claim: ArtifactClaim, signature: String) async throws {
        try await client.query("""
            INSERT INTO artifact_signatures (sha256, model_sha256, bytes, signature)
            VALUES (\(claim.sha256), \(claim.model), \(claim.bytes), \(signature)) ON CONFLICT DO NOTHING
            """, logger: logger)
    }

    public func artifactSignature(sha256: String) async throws -> String? {
        let rows = try await client.query("SELECT signature FROM artifact_signatures WHERE sha256 = \(sha256)", logger: logger)
        for try await s in rows.decode(String.self) { return s }
        return nil
    }

    /// Artifacts and models stored before signing existed (an upgraded
    /// database), for the scheduler to sign at start. The claim is built from
    /// the recorded digest, never from the content, so bytes changed in the
    /// store still fail the agent's sha256 check.
    public func unsignedArtifacts() async throws -> [ArtifactClaim] {
        let rows = try await client.query("""
            SELECT a.sha256, a.bytes, a.model_sha256 FROM artifacts a
            WHERE NOT EXISTS (SELECT 1 FROM artifact_signatures s WHERE s.sha256 = a.sha256)
            UNION ALL
            SELECT m.sha256, m.bytes, m.sha256 FROM models m
            WHERE NOT EXISTS (SELECT 1 FROM artifact_signatures s WHERE s.sha256 = m.sha256)
            """, logger: logger)
        var out: [ArtifactClaim] = []
        for try await (sha, bytes, model) in rows.decode((String, Int, String).self) { out.append(ArtifactClaim(sha256: sha, bytes: bytes, model: model)) }
        return out
    }
}
