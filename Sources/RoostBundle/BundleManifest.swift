import Foundation
import RoostCore

/// `manifest.json` of a bundle: which scheduler made it (its artifact-signing
/// public key), the benchmark its jobs belong to, and per job everything the
/// board needs to run it with no network — spec, target, and the artifact's
/// digest, size, model and Ed25519 signature (the claim the online agent
/// verifies, `ArtifactClaim`).
public struct BundleManifest: Codable, Sendable, Equatable {
    /// The manifest layout this build writes and reads.
    public static let currentFormat = 1

    public var format: Int
    public var bundleID: String
    public var benchmarkID: String
    public var createdAt: Date
    /// The scheduler's artifact-signing public key (base64 Ed25519): the board
    /// verifies every artifact against it, and the import checks the results
    /// came from a bundle of this scheduler.
    public var signingKey: String
    /// Base64 of the 32-byte HMAC-SHA256 key that seals the results file. It
    /// binds results to this bundle: whoever holds the bundle can produce
    /// results for it (see docs/security.md, "Offline bundles").
    public var resultKey: String
    public var model: ModelInfo
    public var jobs: [BundleJob]

    public init(bundleID: String, benchmarkID: String, createdAt: Date, signingKey: String, resultKey: String, model: ModelInfo, jobs: [BundleJob]) {
        format = Self.currentFormat
        self.bundleID = bundleID; self.benchmarkID = benchmarkID; self.createdAt = createdAt
        self.signingKey = signingKey; self.resultKey = resultKey; self.model = model; self.jobs = jobs
    }

    public static let entryName = "manifest.json"
    public static func artifactEntry(_ sha256: String) -> String { "artifacts/\(sha256)" }
    public static func referenceEntry(_ model: String) -> String { "references/\(model).json" }
}

/// One job of a bundle.
public struct BundleJob: Codable, Sendable, Equatable {
    public var jobID: String
    /// The offline board the job was planned for (`--board`, or the known agent's name).
    public var board: String
    public var target: TargetSpec
    public var spec: BenchmarkSpec
    public var artifact: BundleArtifact
    /// The entry holding the model's reference data (the accuracy gate), when it has one.
    public var reference: String?

    public init(jobID: String, board: String, target: TargetSpec, spec: BenchmarkSpec, artifact: BundleArtifact, reference: String?) {
        self.jobID = jobID; self.board = board; self.target = target; self.spec = spec; self.artifact = artifact; self.reference = reference
    }
}

/// A bundled artifact: what the scheduler signed, and where its bytes are.
public struct BundleArtifact: Codable, Sendable, Equatable {
    public var sha256: String
    public var bytes: Int
    /// The model it came from (for engines that run ONNX themselves, the artifact is the model).
    public var model: String
    /// Base64 Ed25519 signature of `claim.message`; nil when the store holds none (the board refuses it).
    public var signature: String?
    public var entry: String

    public init(sha256: String, bytes: Int, model: String, signature: String?, entry: String) {
        self.sha256 = sha256; self.bytes = bytes; self.model = model; self.signature = signature; self.entry = entry
    }

    public var claim: ArtifactClaim { ArtifactClaim(sha256: sha256, bytes: bytes, model: model) }
}

/// A bundle as read from its file: the manifest and the container holding the entries.
public struct OfflineBundle: Sendable {
    public var manifest: BundleManifest
    public var container: BundleContainer

    public init(manifest: BundleManifest, container: BundleContainer) {
        self.manifest = manifest
        self.container = container
    }

    /// Assembles a bundle file's contents.
    public init(manifest: BundleManifest, entries: [(name: String, data: Data)]) {
        var container = BundleContainer(kind: .bundle)
        container.add(BundleManifest.entryName, CanonicalJSON.encode(manifest))
        for (name, data) in entries { container.add(name, data) }
        self.init(manifest: manifest, container: container)
    }

    public func encoded() -> Data { container.encoded() }

    /// Reads a bundle file's bytes; a wrong kind, version or corrupt file is an `invalidArgument` saying so.
    public static func decode(_ data: Data) throws -> OfflineBundle {
        let container = try BundleContainer.decode(data, expecting: .bundle)
        guard let text = container.entry(BundleManifest.entryName) else {
            throw RoostError.invalidArgument("the bundle has no \(BundleManifest.entryName)")
        }
        struct Format: Decodable { var format: Int }
        guard let format = try? CanonicalJSON.decode(Format.self, from: text).format else {
            throw RoostError.invalidArgument("the bundle's \(BundleManifest.entryName) is not a bundle manifest")
        }
        guard format == BundleManifest.currentFormat else {
            throw RoostError.invalidArgument("bundle manifest format \(format); this roost reads format \(BundleManifest.currentFormat)")
        }
        do {
            return OfflineBundle(manifest: try CanonicalJSON.decode(BundleManifest.self, from: text), container: container)
        } catch {
            throw RoostError.invalidArgument("the bundle's \(BundleManifest.entryName) is malformed: \(error)")
        }
    }

    public static func read(from url: URL) throws -> OfflineBundle {
        try decode(try BundleFile.read(url, what: "bundle"))
    }
}

/// Reading the files a user names, with the error a user can act on.
public enum BundleFile {
    public static func read(_ url: URL, what: String) throws -> Data {
        guard FileManager.default.fileExists(atPath: url.path) else { throw RoostError.notFound("no \(what) file at \(url.path)") }
        do { return try Data(contentsOf: url) } catch {
            throw RoostError.io("cannot read \(what) \(url.path): \(error.localizedDescription)")
        }
    }

    /// Written beside the destination and renamed over it: a crash never leaves half a file under the name.
    public static func write(_ data: Data, to url: URL) throws {
        let tmp = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).\(UUID().uuidString.prefix(8)).tmp")
        do { try data.write(to: tmp) } catch {
            try? FileManager.default.removeItem(at: tmp)
            throw RoostError.io("cannot write \(url.path): \(error.localizedDescription)")
        }
        // rename(2) replaces atomically.
        guard rename(tmp.path, url.path) == 0 else {
            let reason = String(cString: strerror(errno))
            try? FileManager.default.removeItem(at: tmp)
            throw RoostError.io("cannot write \(url.path): \(reason)")
        }
    }
}
