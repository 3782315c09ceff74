import Crypto
import Foundation
import RoostCore

/// `results.json` of a results file: which bundle it answers, the board that
/// ran it (its name and probed hardware, which become its agent row) and, per
/// job, the entry holding its result and that entry's sha256.
public struct BundleResultsManifest: Codable, Sendable, Equatable {
    public static let currentFormat = 1

    public var format: Int
    public var bundleID: String
    public var benchmarkID: String
    /// The signing key of the bundle's scheduler: an import elsewhere is refused by name.
    public var signingKey: String
    /// The board's agent name in reports.
    public var agentName: String
    public var hardware: HardwareProfile
    /// The board's agent profile (tags, price per hour), when `run-bundle --profile` named one.
    public var profile: AgentProfile?
    public var createdAt: Date
    public var results: [BundleResultEntry]

    public init(bundleID: String, benchmarkID: String, signingKey: String, agentName: String, hardware: HardwareProfile, profile: AgentProfile?,
                createdAt: Date, results: [BundleResultEntry]) {
        format = Self.currentFormat
        self.bundleID = bundleID; self.benchmarkID = benchmarkID; self.signingKey = signingKey; self.agentName = agentName
        self.hardware = hardware; self.profile = profile; self.createdAt = createdAt; self.results = results
    }

    public static let entryName = "results.json"
    public static let sealName = "results.mac"
    public static func resultEntry(_ jobID: String) -> String { "results/\(jobID).json" }
}

public struct BundleResultEntry: Codable, Sendable, Equatable {
    public var jobID: String
    public var entry: String
    /// sha256 of the entry's bytes (a `BenchmarkResult` in canonical JSON).
    public var sha256: String
    public init(jobID: String, entry: String, sha256: String) { self.jobID = jobID; self.entry = entry; self.sha256 = sha256 }
}

/// A results file: written by `run-bundle`, verified and read by the import.
/// `results.mac` is HMAC-SHA256, under the bundle's result key, of a versioned
/// prefix and `results.json`'s exact bytes — which name the bundle, the board
/// and every result entry's sha256 — so a changed byte anywhere, a result moved
/// to another job, or results for another bundle fail the check.
public struct BundleResultsFile: Sendable {
    public var manifest: BundleResultsManifest
    public var container: BundleContainer

    /// Seals `results` (by job id) for `bundle`'s manifest.
    public init(bundle: BundleManifest, agentName: String, hardware: HardwareProfile, profile: AgentProfile?,
                results: [(jobID: String, result: BenchmarkResult)], createdAt: Date = Date()) throws {
        var container = BundleContainer(kind: .results)
        var entries: [BundleResultEntry] = []
        for (jobID, result) in results {
            let bytes = CanonicalJSON.encode(result)
            let name = BundleResultsManifest.resultEntry(jobID)
            container.add(name, bytes)
            entries.append(BundleResultEntry(jobID: jobID, entry: name, sha256: Digest.sha256Hex(of: bytes)))
        }
        let manifest = BundleResultsManifest(bundleID: bundle.bundleID, benchmarkID: bundle.benchmarkID, signingKey: bundle.signingKey,
                                             agentName: agentName, hardware: hardware, profile: profile, createdAt: createdAt, results: entries)
        let text = CanonicalJSON.encode(manifest)
        container.add(BundleResultsManifest.entryName, text)
        container.add(BundleResultsManifest.sealName, Data(try Self.seal(text, key: bundle.resultKey).utf8))
        self.manifest = manifest
        self.container = container
    }

    private init(manifest: BundleResultsManifest, container: BundleContainer) {
        self.manifest = manifest
        self.container = container
    }

    public func encoded() -> Data { container.encoded() }

    /// Parses a results file without trusting it yet: `verify(resultKey:)` must pass before any result is used.
    public static func decode(_ data: Data) throws -> BundleResultsFile {
        let container = try BundleContainer.decode(data, expecting: .results)
        guard let text = container.entry(BundleResultsManifest.entryName) else {
            throw RoostError.invalidArgument("the results file has no \(BundleResultsManifest.entryName)")
        }
        struct Format: Decodable { var format: Int }
        guard let format = try? CanonicalJSON.decode(Format.self, from: text).format else {
            throw RoostError.invalidArgument("the results file's \(BundleResultsManifest.entryName) is not a results manifest")
        }
        guard format == BundleResultsManifest.currentFormat else {
            throw RoostError.invalidArgument("results format \(format); this roost reads format \(BundleResultsManifest.currentFormat)")
        }
        do {
            return BundleResultsFile(manifest: try CanonicalJSON.decode(BundleResultsManifest.self, from: text), container: container)
        } catch {
            throw RoostError.invalidArgument("the results file's \(BundleResultsManifest.entryName) is malformed: \(error)")
        }
    }

    /// Checks the seal with the bundle's result key, then every entry against
    /// its digest; returns each job's result, in the file's order. Throws
    /// `invalidArgument` naming what does not match.
    public func verify(resultKey: String) throws -> [(jobID: String, sha256: String, result: BenchmarkResult)] {
        guard let text = container.entry(BundleResultsManifest.entryName),
              let seal = container.entry(BundleResultsManifest.sealName).map({ String(decoding: $0, as: UTF8.self) }) else {
            throw RoostError.invalidArgument("the results file is not sealed (no \(BundleResultsManifest.sealName))")
        }
        guard let code = Data(hex: seal.trimmingCharacters(in: .whitespacesAndNewlines)),
              HMAC<SHA256>.isValidAuthenticationCode(code, authenticating: Self.sealed(text), using: try Self.symmetricKey(resultKey)) else {
            throw RoostError.invalidArgument("the results file was modified: its seal does not match bundle \(manifest.bundleID)'s key")
        }
        var seen = Set<String>()
        var out: [(jobID: String, sha256: String, result: BenchmarkResult)] = []
        for entry in manifest.results {
            guard seen.insert(entry.jobID).inserted else { throw RoostError.invalidArgument("the results file lists job \(entry.jobID) twice") }
            guard let bytes = container.entry(entry.entry), Digest.sha256Hex(of: bytes) == entry.sha256 else {
                throw RoostError.invalidArgument("the results file was modified: the result of job \(entry.jobID) does not match its digest")
            }
            do { out.append((entry.jobID, entry.sha256, try CanonicalJSON.decode(BenchmarkResult.self, from: bytes))) } catch {
                throw RoostError.invalidArgument("the result of job \(entry.jobID) is not a benchmark result: \(error)")
            }
        }
        return out
    }

    /// A fresh result key for a new bundle (base64 of 32 random bytes).
    public static func newResultKey() -> String { SymmetricKey(size: .bits256).withUnsafeBytes { Data($0) }.base64EncodedString() }

    static func symmetricKey(_ base64: String) throws -> SymmetricKey {
        guard let raw = Data(base64Encoded: base64), raw.count == 32 else { throw RoostError.invalidArgument("the bundle's result key is not base64 of 32 bytes") }
        return SymmetricKey(data: raw)
    }

    static func sealed(_ manifest: Data) -> Data { Data("roost-results-v1\n".utf8) + manifest }

    static func seal(_ manifest: Data, key: String) throws -> String {
        Data(HMAC<SHA256>.authenticationCode(for: sealed(manifest), using: try symmetricKey(key))).map { String(format: "%02x", $0) }.joined()
    }
}

extension Data {
    /// Lower- or upper-case hex; nil for anything else.
    init?(hex: String) {
        guard hex.count.isMultiple(of: 2) else { return nil }
        var out = Data(capacity: hex.count / 2)
        var index = hex.startIndex
        while index < hex.endIndex {
            let next = hex.index(index, offsetBy: 2)
            guard let byte = UInt8(hex[index..<next], radix: 16) else { return nil }
            out.append(byte)
            index = next
        }
        self = out
    }
}
