import Foundation
import Logging
import PostgresNIO
import Testing
import RoostCore
import RoostTestDatabase
@testable import RoostStore

/// Issue 18 at the SQL level, against the real test cluster: a lease token is
/// valid only with its agent, one unreadable stored row cannot fail a report,
/// and a model name is unique per version.
@Suite(.enabled(if: TestDatabase.isAvailable, TestDatabase.skipReason))
struct HostileInputStoreTests {
    let logger = Logger(label: "roost.test")
    let result = BenchmarkResult(status: .succeeded, statistics: LatencyStatistics(samplesMs: [1, 2, 3], wallSeconds: 0.006),
                                 samplesMs: [1, 2, 3], environment: RunEnvironment())

    func count(_ store: PostgresStore, _ sql: String) async throws -> Int {
        for try await n in try await store.client.query(PostgresQuery(unsafeSQL: sql)).decode(Int.self) { return n }
        return -1
    }

    @Test func aLeaseIsHeldOnlyByItsAgent() async throws {
        try await TestDatabase.withFreshDatabase { url in
            try await PostgresStore.with(url, logger: logger, migrate: true) { store in
                let fixture = StoreFixture(store)
                let agents = try await fixture.enroll(["holder", "thief"])
                try await fixture.queue(jobs: 1)
                let job = try #require(try await store.lease(agentID: agents[0], targetSignatures: [fixture.target.signature], leaseSeconds: 30))
                let holder = try #require(try await store.leaseHolder(jobID: job.jobID, leaseToken: job.leaseToken))
                #expect(holder.agentID == agents[0] && holder.name == "holder")
                #expect(try await store.leaseHolder(jobID: job.jobID, leaseToken: "lease_other") == nil)

                #expect(try await store.heartbeatJob(jobID: job.jobID, leaseToken: job.leaseToken, agentID: agents[1], phase: "stolen", leaseSeconds: 30) == nil)
                #expect(try await store.releaseJob(jobID: job.jobID, leaseToken: job.leaseToken, agentID: agents[1], reason: "stolen") == false)
                let foreign = ResultSubmission(jobID: job.jobID, leaseToken: job.leaseToken, result: result, agentID: agents[1])
                #expect(try await store.submitResults([foreign]) == [false])
                let next = try await store.submitResultsLeasingNext([(foreign, agents[1])], targetSignatures: [fixture.target.signature], leaseSeconds: 30)
                #expect(next.map(\.accepted) == [false])
                #expect(try await count(store, "SELECT count(*)::int FROM results") == 0)
                #expect(try await count(store, "SELECT count(*)::int FROM jobs WHERE state = 'leased' AND phase IS NULL") == 1)

                #expect(try await store.heartbeatJob(jobID: job.jobID, leaseToken: job.leaseToken, agentID: agents[0], phase: "timed", leaseSeconds: 30) != nil)
                let own = ResultSubmission(jobID: job.jobID, leaseToken: job.leaseToken, result: result, agentID: agents[0])
                #expect(try await store.submitResults([own]) == [true])
            }
        }
    }

    @Test func oneUnreadableRowIsListedAndTheRestOfTheReportIsRead() async throws {
        try await TestDatabase.withFreshDatabase { url in
            try await PostgresStore.with(url, logger: logger, migrate: true) { store in
                let fixture = StoreFixture(store)
                let agents = try await fixture.enroll(["a", "b", "c"])
                try await fixture.queue(jobs: 3, model: "poisoned")
                var jobs: [String] = []
                for agent in agents {
                    let job = try #require(try await store.lease(agentID: agent, targetSignatures: [fixture.target.signature], leaseSeconds: 30))
                    #expect(try await store.submitResult(jobID: job.jobID, leaseToken: job.leaseToken, result: result))
                    jobs.append(job.jobID)
                }
                // Two kinds of damage: a latency stored as a string, and a matrix-key field of the wrong type.
                _ = try await store.client.query(PostgresQuery(unsafeSQL: """
                    UPDATE results SET statistics = jsonb_set(statistics, '{p50}', '"NaN"') WHERE job_id = '\(jobs[1])'
                    """))
                _ = try await store.client.query(PostgresQuery(unsafeSQL: """
                    UPDATE results SET environment = jsonb_set(environment, '{blasThreads}', '"many"'), samples_ms = '{NaN}' WHERE job_id = '\(jobs[2])'
                    """))
                let model = try #require(try await store.model(nameOrDigest: "poisoned"))
                let data = try await store.reportData(model: model)
                #expect(data.rows.map(\.jobID) == [jobs[0]])
                #expect(Set(data.unreadable.map(\.jobID)) == [jobs[1], jobs[2]], "\(data.unreadable)")
                #expect(data.unreadable.allSatisfy { !$0.reason.isEmpty })
            }
        }
    }

    @Test func aNameIsUniquePerVersion() async throws {
        try await TestDatabase.withFreshDatabase { url in
            try await PostgresStore.with(url, logger: logger, migrate: true) { store in
                func put(_ bytes: String, as name: String) async throws -> ModelInfo {
                    let data = Data(bytes.utf8)
                    return try await store.putModel(ModelInfo(sha256: Digest.sha256Hex(of: data), name: name, bytes: data.count), content: data)
                }
                let v1 = try await put("one", as: "resnet")
                let v2 = try await put("two", as: "resnet")
                #expect(v1.version == 1 && v2.version == 2)
                #expect(try await put("one", as: "resnet").version == 1, "the same bytes under their own name are unchanged")
                let newest = try #require(try await store.model(nameOrDigest: "resnet"))
                #expect(newest.sha256 == v2.sha256 && newest.version == 2 && newest.versions == 2)
                #expect(try await store.model(nameOrDigest: "resnet@1")?.sha256 == v1.sha256)
                #expect(try await store.model(nameOrDigest: "resnet@3") == nil)
                #expect(try await store.model(nameOrDigest: String(v1.sha256.prefix(10)))?.version == 1)
                // A name that itself ends in @N is found by its exact name first.
                let literal = try await put("three", as: "resnet@1")
                #expect(try await store.model(nameOrDigest: "resnet@1")?.sha256 == literal.sha256)
                // A rename moves the bytes to the new name's next version.
                let renamed = try await put("one", as: "other")
                #expect(renamed.version == 1 && renamed.name == "other")
                #expect(try await store.model(nameOrDigest: "resnet")?.versions == 1)
                #expect(try await count(store, "SELECT count(*)::int FROM (SELECT name, version FROM models GROUP BY 1, 2 HAVING count(*) > 1) d") == 0)
                // Racing uploads of one name each get their own version.
                let racing = try await withThrowingTaskGroup(of: Int?.self) { group in
                    for i in 0..<6 { group.addTask { try await put("race \(i)", as: "raced").version } }
                    var out: [Int] = []
                    for try await v in group { out.append(v ?? 0) }
                    return out.sorted()
                }
                #expect(racing == [1, 2, 3, 4, 5, 6])
            }
        }
    }

    @Test func theMigrationNumbersExistingDuplicateNames() async throws {
        try await TestDatabase.withFreshDatabase { url in
            try await PostgresStore.with(url, logger: logger, migrate: false) { store in
                let migrator = Migrator(client: store.client, logger: logger)
                _ = try await migrator.migrate(Migration.all.filter { $0.version < 10 })
                for (i, name) in ["dup", "dup", "solo", "dup"].enumerated() {
                    let sha = Digest.sha256Hex(of: Data("m\(i)".utf8))
                    _ = try await store.client.query("""
                        INSERT INTO models (sha256, name, bytes, content, created_at) VALUES (\(sha), \(name), 1, '\\x00'::bytea, now() + make_interval(secs => \(Double(i))))
                        """)
                }
                _ = try await migrator.migrate()
                #expect(try await store.model(nameOrDigest: "dup")?.version == 3)
                #expect(try await store.model(nameOrDigest: "dup")?.sha256 == Digest.sha256Hex(of: Data("m3".utf8)), "the newest is the highest version")
                #expect(try await store.model(nameOrDigest: "dup@1")?.sha256 == Digest.sha256Hex(of: Data("m0".utf8)))
                #expect(try await store.model(nameOrDigest: "solo")?.version == 1)
            }
        }
    }
}
