import Foundation
import RoostCore
import RoostStore

/// Agents and queued jobs for store and scheduler tests, made through the
/// store's own methods (the way enrollment and `bench queue` make them), so a
/// test states only what it varies.
public struct StoreFixture: Sendable {
    public let store: PostgresStore
    public let hardware: HardwareProfile

    public static let testHardware = HardwareProfile(arch: "x86_64", cpuModel: "Test CPU", isaFeatures: ["avx2", "fma"],
                                                     logicalCPUs: 2, usableCPUIDs: [0], machineID: "m1")

    public init(_ store: PostgresStore, hardware: HardwareProfile = StoreFixture.testHardware) {
        self.store = store
        self.hardware = hardware
    }

    public var target: TargetSpec { TargetSpec(hardware: hardware) }

    /// Enrolls each name with its own one-time token (credential `c<i>`); their agent ids.
    public func enroll(_ names: [String]) async throws -> [String] {
        var ids: [String] = []
        for (i, name) in names.enumerated() {
            let token = SecretToken.generate(prefix: "enroll")
            _ = try await store.createEnrollmentToken(hash: SecretToken.hash(token), ttlSeconds: 60)
            let request = EnrollRequest(token: token, name: name, tags: [:], hardware: hardware, profile: nil)
            guard let id = try await store.enroll(tokenHash: SecretToken.hash(token), credentialHash: SecretToken.hash("c\(i)-\(name)"),
                                                  request: request, target: target) else {
                throw RoostError.database("enrolling \(name) failed")
            }
            ids.append(id)
        }
        return ids
    }

    /// `agent0`, `agent1`, … on this fixture's target.
    public func enroll(count: Int) async throws -> [String] {
        try await enroll((0..<count).map { "agent\($0)" })
    }

    /// A model, its artifact for this target, and a benchmark of `jobs` queued
    /// jobs; the benchmark id.
    @discardableResult
    public func queue(jobs: Int, model name: String = "m") async throws -> String {
        let model = Data("model bytes of \(name)".utf8)
        let sha = Digest.sha256Hex(of: model)
        _ = try await store.putModel(ModelInfo(sha256: sha, name: name, bytes: model.count), content: model)
        let artifact = Data("artifact of \(name)".utf8)
        let artifactSHA = Digest.sha256Hex(of: artifact)
        try await store.putArtifact(sha256: artifactSHA, model: sha, target: target, compilerVersion: "c", content: artifact)
        let id = UUID().uuidString.lowercased()
        try await store.createBenchmark(id: id, model: sha, targets: "all", spec: .quick,
                                        jobs: (0..<jobs).map { _ in NewJob(id: UUID().uuidString, artifactSHA256: artifactSHA, target: target) })
        return id
    }
}
