import Foundation
import Logging
import Testing
import RoostCore
import RoostTestDatabase
@testable import RoostStore

/// Offline bundles in the store: exported jobs are never leased, and an import
/// stores each result once, through the agents' result statement.
@Suite(.enabled(if: TestDatabase.isAvailable, TestDatabase.skipReason))
struct BundleStoreTests {
    let logger = Logger(label: "roost.test")

    func result(_ p50: Double) -> BenchmarkResult {
        BenchmarkResult(status: .succeeded, statistics: nil, samplesMs: [p50, p50 + 0.1, p50 + 0.2], environment: RunEnvironment(), validity: Validity(reasons: []))
    }

    @Test func exportedJobsAreNotLeasedAndImportOnce() async throws {
        try await TestDatabase.withFreshDatabase { url in
            try await PostgresStore.with(url, logger: logger, migrate: true) { store in
                let fixture = StoreFixture(store)
                let agents = try await fixture.enroll(count: 1)
                let online = try await fixture.queue(jobs: 1)
                let onlineJob = try #require(try await store.benchmarkStatus(id: online)?.jobs.first?.jobID)
                let artifact = try #require(try await store.artifact(model: Digest.sha256Hex(of: Data("model bytes of m".utf8)),
                                                                      targetSignature: fixture.target.signature, compilerVersion: "c"))
                let bundle = UUID().uuidString.lowercased(), benchmark = UUID().uuidString.lowercased()
                let jobs = (0..<2).map { _ in NewJob(id: UUID().uuidString.lowercased(), artifactSHA256: artifact.sha256, target: fixture.target) }
                try await store.createBundle(id: bundle, benchmarkID: benchmark, model: Digest.sha256Hex(of: Data("model bytes of m".utf8)),
                                             targets: "name=pi", spec: .quick, jobs: jobs, labels: [:], resultKey: "k")
                #expect(try await store.bundle(id: bundle) == BundleRecord(id: bundle, benchmarkID: benchmark, resultKey: "k"))
                #expect(try await store.benchmarkStatus(id: benchmark)?.jobs.map(\.state) == ["exported", "exported"])

                // The online job is leased; the exported ones never are.
                let leased = try await store.lease(agentID: agents[0], targetSignatures: [fixture.target.signature], leaseSeconds: 30)
                #expect(leased?.jobID == onlineJob)
                #expect(try await store.lease(agentID: agents[0], targetSignatures: [fixture.target.signature], leaseSeconds: 30) == nil)

                let board = OfflineBoardAgent(name: "pi", hardware: HardwareProfile(arch: "aarch64", cpuModel: "A76", isaFeatures: ["asimd"], logicalCPUs: 4, machineID: "pi-1"),
                                              profile: AgentProfile(tags: ["lab": "b"], pricePerHour: 0.01))
                let items = [ImportedResult(jobID: jobs[0].id, sha256: "s0", result: result(1)), ImportedResult(jobID: jobs[1].id, sha256: "s1", result: .failure("refused"))]
                let first = try await store.importBundleResults(bundleID: bundle, board: board, results: items)
                #expect(first.map(\.outcome) == [.imported, .imported])
                let status = try #require(try await store.benchmarkStatus(id: benchmark))
                #expect(status.jobs.map(\.state).sorted() == ["error", "succeeded"])
                #expect(Set(status.jobs.compactMap(\.agentName)) == ["pi"])
                #expect(status.jobs.allSatisfy { $0.attempt == 1 && $0.attempts?.count == 1 })

                let again = try await store.importBundleResults(bundleID: bundle, board: board, results: items)
                #expect(again.map(\.outcome) == [.alreadyImported, .alreadyImported])
                let other = try await store.importBundleResults(bundleID: bundle, board: board,
                                                                results: [ImportedResult(jobID: jobs[0].id, sha256: "s9", result: result(0.1)),
                                                                          ImportedResult(jobID: onlineJob, sha256: "s2", result: result(1)),
                                                                          ImportedResult(jobID: UUID().uuidString, sha256: "s3", result: result(1))])
                #expect(other.map(\.outcome) == [.refused, .refused, .refused])
                #expect(other[0].message?.contains("another results file") == true)
                #expect(other[1].message?.contains("not exported") == true)
                #expect(other[2].message?.contains("no job") == true)
                let rows = try await store.client.query("SELECT count(*)::int, min(p50_ms) FROM results WHERE imported_sha256 IS NOT NULL")
                for try await (n, _) in rows.decode((Int, Double?).self) { #expect(n == 2) }
                let agent = try await store.client.query("SELECT state, offline_board, credential_hash IS NULL, price_per_hour FROM agents WHERE name = 'pi'")
                for try await (state, offline, noCredential, price) in agent.decode((String, Bool, Bool, Double?).self) {
                    #expect(state == "offline" && offline && noCredential && price == 0.01)
                }

                // An enrolled agent's name on another machine is refused; nothing is written.
                let bundle2 = UUID().uuidString.lowercased(), benchmark2 = UUID().uuidString.lowercased()
                let job2 = NewJob(id: UUID().uuidString.lowercased(), artifactSHA256: artifact.sha256, target: fixture.target)
                try await store.createBundle(id: bundle2, benchmarkID: benchmark2, model: Digest.sha256Hex(of: Data("model bytes of m".utf8)),
                                             targets: "all", spec: .quick, jobs: [job2], labels: [:], resultKey: "k2")
                var impostor = board
                impostor.name = "agent0"
                await #expect(throws: RoostError.self) {
                    try await store.importBundleResults(bundleID: bundle2, board: impostor, results: [ImportedResult(jobID: job2.id, sha256: "x", result: result(1))])
                }
                #expect(try await store.benchmarkStatus(id: benchmark2)?.jobs.map(\.state) == ["exported"])
                // Cancelled with its benchmark, an exported job's import is refused.
                #expect(try await store.cancelBenchmark(id: benchmark2)?.cancelled == 1)
                let late = try await store.importBundleResults(bundleID: bundle2, board: board, results: [ImportedResult(jobID: job2.id, sha256: "x", result: result(1))])
                #expect(late.first?.outcome == .refused && late.first?.message?.contains("cancelled") == true)
            }
        }
    }
}
