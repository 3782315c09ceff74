import Foundation
import Logging
import Testing
import RoostCore
import RoostTestDatabase
@testable import RoostStore

/// The reaper's log lines name each expired job and its agent: `expireLeases`
/// reports them, and `requeueExpiredLeases` still counts them.
@Suite(.enabled(if: TestDatabase.isAvailable, TestDatabase.skipReason))
struct ExpiredLeaseTests {
    let logger = Logger(label: "roost.test")
    let hardware = HardwareProfile(arch: "x86_64", cpuModel: "Test CPU", isaFeatures: ["avx2", "fma"], logicalCPUs: 2, usableCPUIDs: [0], machineID: "m1")

    @Test func expiredLeasesNameTheJobAndTheAgent() async throws {
        try await TestDatabase.withFreshDatabase { url in
            try await PostgresStore.with(url, logger: logger, migrate: true) { store in
                let target = TargetSpec(hardware: hardware)
                let token = SecretToken.generate(prefix: "enroll")
                _ = try await store.createEnrollmentToken(hash: SecretToken.hash(token), ttlSeconds: 60)
                let agent = try #require(try await store.enroll(
                    tokenHash: SecretToken.hash(token), credentialHash: SecretToken.hash("c"),
                    request: EnrollRequest(token: token, name: "reaped", tags: [:], hardware: hardware, profile: nil), target: target))
                let model = Data("m".utf8)
                let sha = Digest.sha256Hex(of: model)
                try await store.putModel(ModelInfo(sha256: sha, name: "m", bytes: model.count), content: model)
                let art = Data("a".utf8)
                let artSHA = Digest.sha256Hex(of: art)
                try await store.putArtifact(sha256: artSHA, model: sha, target: target, compilerVersion: "c", content: art)
                try await store.createBenchmark(id: UUID().uuidString, model: sha, targets: "all", spec: .quick,
                                                jobs: [NewJob(id: UUID().uuidString, artifactSHA256: artSHA, target: target)])

                let leased = try #require(try await store.lease(agentID: agent, targetSignatures: [target.signature], leaseSeconds: 0.05))
                try await Task.sleep(for: .milliseconds(150))
                let expired = try await store.expireLeases(backoffSeconds: 0, maxBackoffSeconds: 0)
                #expect(expired == [ExpiredLease(jobID: leased.jobID, agentName: "reaped", attempt: 1, state: "queued")])
                #expect(try await store.requeueExpiredLeases() == 0)
            }
        }
    }
}
