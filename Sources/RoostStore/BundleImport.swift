import Foundation
import RoostCore

/// A bundle as the store keeps it: its benchmark and the key that seals its results.
public struct BundleRecord: Sendable, Equatable {
    public var id: String
    public var benchmarkID: String
    public var resultKey: String
    public init(id: String, benchmarkID: String, resultKey: String) { self.id = id; self.benchmarkID = benchmarkID; self.resultKey = resultKey }
}

/// The board behind a results file, as its agent row: no credential, state `offline`.
public struct OfflineBoardAgent: Sendable {
    public var name: String
    public var hardware: HardwareProfile
    public var profile: AgentProfile?
    public init(name: String, hardware: HardwareProfile, profile: AgentProfile?) { self.name = name; self.hardware = hardware; self.profile = profile }
}

/// One verified result of a results file, with the digest of the entry it came from.
public struct ImportedResult: Sendable {
    public var jobID: String
    public var sha256: String
    public var result: BenchmarkResult
    public init(jobID: String, sha256: String, result: BenchmarkResult) { self.jobID = jobID; self.sha256 = sha256; self.result = result }
}
