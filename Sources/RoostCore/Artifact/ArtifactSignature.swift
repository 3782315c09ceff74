import Crypto
import Foundation

/// What the scheduler vouches for when it signs an artifact: its digest, its
/// size and the model it came from. An agent rebuilds the claim from its job
/// assignment, so a signature made for one artifact never passes for another.
public struct ArtifactClaim: Sendable, Equatable, Codable {
    public var sha256: String
    public var bytes: Int
    public var model: String
    public init(sha256: String, bytes: Int, model: String) { self.sha256 = sha256; self.bytes = bytes; self.model = model }

    /// The signed bytes: versioned, one field a line, no ambiguity between fields.
    public var message: Data { Data("roost-artifact-v1\nsha256=\(sha256)\nbytes=\(bytes)\nmodel=\(model)\n".utf8) }
}

/// The scheduler's Ed25519 signing key, kept in `$ROOST_HOME/signing.key`
/// (mode 0600, base64 of the 32-byte seed) and created on first start.
public struct ArtifactSigner: Sendable {
    private let seed: Data

    public init(seed: Data) throws {
        _ = try Curve25519.Signing.PrivateKey(rawRepresentation: seed)
        self.seed = seed
    }

    /// A key that lives only in memory (routers built in tests).
    public static func ephemeral() -> ArtifactSigner {
        // A fresh key's seed is always valid.
        try! ArtifactSigner(seed: Curve25519.Signing.PrivateKey().rawRepresentation)
    }

    /// Loads the key file, or creates it (0600) when there is none. A damaged file is an error, never replaced:
    /// replacing it would silently invalidate every signature agents have seen.
    public static func loadOrCreate(_ file: URL) throws -> (signer: ArtifactSigner, created: Bool) {
        if let text = RoostHome.readTrimmed(file) {
            guard let seed = Data(base64Encoded: text), seed.count == 32, let signer = try? ArtifactSigner(seed: seed) else {
                throw RoostError.invalidArgument("\(file.path) is not a Roost signing key (base64 of 32 bytes); restore it from a backup or remove it to make a new key (agents must then enroll again)")
            }
            return (signer, false)
        }
        let key = Curve25519.Signing.PrivateKey()
        try RoostHome.writeSecret(key.rawRepresentation.base64EncodedString() + "\n", to: file)
        return (try ArtifactSigner(seed: key.rawRepresentation), true)
    }

    /// The public key agents verify with, base64 of its 32 bytes.
    public var publicKey: String {
        (try! Curve25519.Signing.PrivateKey(rawRepresentation: seed)).publicKey.rawRepresentation.base64EncodedString()
    }

    public func sign(_ claim: ArtifactClaim) throws -> String {
        try Curve25519.Signing.PrivateKey(rawRepresentation: seed).signature(for: claim.message).base64EncodedString()
    }
}

/// The agent's side: checks a signature against the public key it learned at enrollment.
public struct ArtifactVerifier: Sendable {
    private let key: Data

    public init(publicKey: String) throws {
        guard let raw = Data(base64Encoded: publicKey), (try? Curve25519.Signing.PublicKey(rawRepresentation: raw)) != nil else {
            throw RoostError.invalidArgument("'\(publicKey.prefix(60))' is not an Ed25519 public key (base64 of 32 bytes)")
        }
        key = raw
    }

    /// Throws `invalidArtifact` with the reason when the signature is missing or does not match the claim.
    public func verify(_ claim: ArtifactClaim, signature: String?) throws {
        guard let signature, !signature.isEmpty else {
            throw RoostError.invalidArtifact("artifact \(claim.sha256) is unsigned; refusing to run it")
        }
        guard let bytes = Data(base64Encoded: signature),
              (try Curve25519.Signing.PublicKey(rawRepresentation: key)).isValidSignature(bytes, for: claim.message) else {
            throw RoostError.invalidArtifact("artifact \(claim.sha256) has a signature that does not verify with the scheduler's key; refusing to run it")
        }
    }

    /// The signature, then the bytes against the signed digest and size: one
    /// check for an artifact the agent downloaded and one `run-bundle` read
    /// from a bundle (`what` says which, in the error).
    public func verify(_ claim: ArtifactClaim, signature: String?, content: Data, what: String = "downloaded artifact") throws {
        try verify(claim, signature: signature)
        let actual = Digest.sha256Hex(of: content)
        guard actual == claim.sha256, content.count == claim.bytes else {
            throw RoostError.invalidArtifact("\(what) hashes to \(actual) (\(content.count) bytes), but the scheduler signed \(claim.sha256) (\(claim.bytes) bytes); refusing to run it")
        }
    }
}
