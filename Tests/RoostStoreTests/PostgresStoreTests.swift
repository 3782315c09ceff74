import Foundation
import Logging
import PostgresNIO
import Testing
import RoostCore
import RoostTestDatabase
import RoostTestSupport
@testable import RoostStore

/// Against the real test cluster: each test gets a fresh database.
@Suite(.enabled(if: TestDatabase.isAvailable, TestDatabase.skipReason))
struct PostgresStoreTests {
    let logger = Logger(label: "roost.test")
    let hardware = StoreFixture.testHardware

    @Test func migrationsApplyOnceAndCreateTheSchema() async throws {
        try await TestDatabase.withFreshDatabase { url in
            try await PostgresStore.with(url, logger: logger) { store in
                let first = try await store.migrator.migrate()
                #expect(first == Migration.all.map(\.version))
                #expect(try await store.migrator.migrate().isEmpty)
                var tables: Set<String> = []
                let rows = try await store.client.query("SELECT table_name::text FROM information_schema.tables WHERE table_schema = 'public'")
                for try await t in rows.decode(String.self) { tables.insert(t) }
                for t in ["agents", "enrollment_tokens", "models", "artifacts", "benchmarks", "jobs", "results", "roost_results_v1"] {
                    #expect(tables.contains(t), "missing \(t)")
                }
                // The queue's vacuum and analyze settings, and no statistics for its payload columns.
                let options = try await store.client.query("SELECT array_to_string(reloptions, ',') FROM pg_class WHERE relname = 'jobs'")
                for try await text in options.decode(String.self) {
                    #expect(Set(text.split(separator: ",").map(String.init)) == [
                        "autovacuum_vacuum_scale_factor=0", "autovacuum_vacuum_threshold=10000", "autovacuum_analyze_scale_factor=0.2"])
                }
                var targets: [String: Int] = [:]
                let stats = try await store.client.query("""
                    SELECT attname::text, attstattarget::int FROM pg_attribute
                    WHERE attrelid = 'jobs'::regclass AND attname IN ('target', 'attempts', 'error', 'phase', 'state', 'target_signature')
                    """)
                for try await (name, target) in stats.decode((String, Int).self) { targets[name] = target }
                #expect(targets["target"] == 0 && targets["attempts"] == 0 && targets["error"] == 0 && targets["phase"] == 0, "\(targets)")
                #expect(targets["state"] != 0 && targets["target_signature"] != 0, "\(targets)")
            }
        }
    }

    @Test func concurrentMigratorsApplyEachVersionOnce() async throws {
        try await TestDatabase.withFreshDatabase { url in
            let applied = try await withThrowingTaskGroup(of: [Int].self) { group in
                for _ in 0..<3 { group.addTask { try await PostgresStore.with(url, logger: logger) { try await $0.migrator.migrate() } } }
                var all: [Int] = []
                for try await a in group { all += a }
                return all
            }
            #expect(applied.sorted() == Migration.all.map(\.version))
        }
    }

    @Test func enrollmentTokensAreOneTimeAndExpire() async throws {
        try await TestDatabase.withFreshDatabase { url in
            try await PostgresStore.with(url, logger: logger, migrate: true) { store in
                let token = SecretToken.generate(prefix: "enroll")
                _ = try await store.createEnrollmentToken(hash: SecretToken.hash(token), ttlSeconds: 60)
                let req = EnrollRequest(token: token, name: "a1", tags: ["k": "v"], hardware: hardware, profile: AgentProfile(pricePerHour: 0.5))
                let cred = SecretToken.generate(prefix: "agent")
                let id = try await store.enroll(tokenHash: SecretToken.hash(token), credentialHash: SecretToken.hash(cred), request: req, target: TargetSpec(hardware: hardware))
                #expect(id != nil)
                // Second use of the same token is refused.
                #expect(try await store.enroll(tokenHash: SecretToken.hash(token), credentialHash: "x", request: req, target: TargetSpec(hardware: hardware)) == nil)
                // An expired token is refused.
                let old = SecretToken.generate(prefix: "enroll")
                _ = try await store.createEnrollmentToken(hash: SecretToken.hash(old), ttlSeconds: 0.001)
                try await Task.sleep(for: .milliseconds(20))
                #expect(try await store.enroll(tokenHash: SecretToken.hash(old), credentialHash: "y", request: req, target: TargetSpec(hardware: hardware)) == nil)
                let agent = try #require(try await store.agent(credentialHash: SecretToken.hash(cred)))
                #expect(agent.name == "a1" && agent.tags == ["k": "v"] && agent.pricePerHour == 0.5 && agent.hardware == hardware)
                // Only hashes are stored.
                let rows = try await store.client.query("SELECT count(*) FROM agents WHERE credential_hash = \(cred)")
                for try await n in rows.decode(Int.self) { #expect(n == 0) }
            }
        }
    }

    /// Seeds three agents, one model, one artifact and `jobs` queued jobs.
    func seed(_ store: PostgresStore, jobs: Int) async throws -> (agentIDs: [String], target: TargetSpec) {
        let fixture = StoreFixture(store, hardware: hardware)
        let agents = try await fixture.enroll(count: 3)
        try await fixture.queue(jobs: jobs)
        return (agents, fixture.target)
    }

    @Test func concurrentLeasesNeverShareAJob() async throws {
        try await TestDatabase.withFreshDatabase { url in
            try await PostgresStore.with(url, logger: logger, migrate: true) { store in
                let (agents, target) = try await seed(store, jobs: 20)
                let leased = try await withThrowingTaskGroup(of: [String].self) { group in
                    for a in agents {
                        group.addTask {
                            var mine: [String] = []
                            while let job = try await store.lease(agentID: a, targetSignatures: [target.signature], leaseSeconds: 30) { mine.append(job.jobID) }
                            return mine
                        }
                    }
                    var all: [String] = []
                    for try await m in group { all += m }
                    return all
                }
                #expect(leased.count == 20)
                #expect(Set(leased).count == 20)
                #expect(try await store.lease(agentID: agents[0], targetSignatures: ["other"], leaseSeconds: 30) == nil)
            }
        }
    }

    @Test func onlyTheCurrentLeaseMayReportAndExpiredLeasesRequeue() async throws {
        try await TestDatabase.withFreshDatabase { url in
            try await PostgresStore.with(url, logger: logger, migrate: true) { store in
                let (agents, target) = try await seed(store, jobs: 1)
                let first = try #require(try await store.lease(agentID: agents[0], targetSignatures: [target.signature], leaseSeconds: 0.05))
                try await Task.sleep(for: .milliseconds(100))
                #expect(try await store.requeueExpiredLeases(backoffSeconds: 0, maxBackoffSeconds: 0) == 1)
                let second = try #require(try await store.lease(agentID: agents[1], targetSignatures: [target.signature], leaseSeconds: 30))
                #expect(second.jobID == first.jobID && second.attempt == 2)
                let stats = LatencyStatistics(samplesMs: [1, 2, 3], wallSeconds: 0.006)
                let result = BenchmarkResult(status: .succeeded, statistics: stats, samplesMs: [1, 2, 3], environment: RunEnvironment())
                // The presumed-dead first attempt's late result changes nothing.
                #expect(try await store.submitResult(jobID: first.jobID, leaseToken: first.leaseToken, result: result) == false)
                #expect(try await store.heartbeatJob(jobID: second.jobID, leaseToken: second.leaseToken, agentID: nil, phase: "running", leaseSeconds: 30) != nil)
                #expect(try await store.submitResult(jobID: second.jobID, leaseToken: second.leaseToken, result: result))
                #expect(try await store.submitResult(jobID: second.jobID, leaseToken: second.leaseToken, result: result) == false)
                let rows = try await store.client.query("SELECT attempt, samples_ms, p50_ms FROM results WHERE job_id = \(UUID(uuidString: second.jobID)!)")
                var count = 0
                for try await (attempt, samples, p50) in rows.decode((Int, [Double], Double).self) {
                    count += 1
                    #expect(attempt == 2 && samples == [1, 2, 3] && p50 == 2)
                }
                #expect(count == 1)
            }
        }
    }

    @Test func badURLsAndUnreachableDatabasesAreClearErrors() async throws {
        #expect(throws: RoostError.self) { try DatabaseURL(parsing: "mysql://x") }
        let parsed = try DatabaseURL(parsing: "postgres://roost@127.0.0.1:5/roost")
        #expect(parsed.port == 5 && parsed.user == "roost" && parsed.database == "roost")
        await #expect(throws: RoostError.self) {
            try await PostgresStore.with(parsed, logger: logger) { _ in }
        }
    }
}
