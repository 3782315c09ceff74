import Foundation
import RoostClient
import RoostCore

/// Content-addressed artifact files on the agent's disk. A file is trusted only
/// after the scheduler's Ed25519 signature of its claim (digest, size, model)
/// verifies and its sha256 matches — on download and again on every reuse (the
/// signature is kept beside the file).
public struct ArtifactCache: Sendable {
    public let directory: URL
    /// Holds the scheduler's public key, learned at enrollment.
    public let verifier: ArtifactVerifier

    public init(directory: URL, verifier: ArtifactVerifier) {
        self.directory = directory
        self.verifier = verifier
    }

    public func path(for sha256: String) -> URL { directory.appendingPathComponent("\(sha256).roost") }
    func signaturePath(for sha256: String) -> URL { directory.appendingPathComponent("\(sha256).sig") }

    /// The artifact of `claim`, from disk or downloaded; throws `invalidArtifact`
    /// with the reason for an unsigned, wrongly signed or tampered one.
    public func fetch(_ claim: ArtifactClaim, using client: RoostClient) async throws -> URL {
        let sha256 = claim.sha256
        let file = path(for: sha256), sigFile = signaturePath(for: sha256)
        if FileManager.default.fileExists(atPath: file.path) {
            if (try? Digest.sha256Hex(ofFile: file)) == sha256, (try? verifier.verify(claim, signature: RoostHome.readTrimmed(sigFile))) != nil {
                return file
            }
            try? FileManager.default.removeItem(at: file)
            try? FileManager.default.removeItem(at: sigFile)
        }
        let (data, signature) = try await client.downloadSignedArtifact(sha256: sha256)
        try verifier.verify(claim, signature: signature, content: data)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try Data((signature ?? "").utf8).write(to: sigFile, options: .atomic)
        let tmp = directory.appendingPathComponent(".\(sha256).\(UUID().uuidString).tmp")
        try data.write(to: tmp)
        // rename(2) replaces atomically: a reader never sees a half-written artifact.
        guard rename(tmp.path, file.path) == 0 else {
            try? FileManager.default.removeItem(at: tmp)
            throw RoostError.io("cannot store artifact \(file.path): \(String(cString: strerror(errno)))")
        }
        return file
    }
}
