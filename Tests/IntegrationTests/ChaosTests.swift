import Foundation
import Logging
import PostgresNIO
import Testing
import RoostClient
import RoostCore
import RoostONNX
import RoostStore
import RoostTestDatabase
import RoostTestSupport

/// The farm under fire, with real processes: two schedulers on one database,
/// three agents split between them, thirty short jobs; meanwhile an agent is
/// killed -9 mid-job, a scheduler is killed -9 and restarted, and PostgreSQL is
/// restarted. Every job must end with exactly one accepted result, no attempt
/// may be leased twice, and the killed agent's job must be back in the queue
/// within 35 s — with the scheduler's defaults (30 s lease, 1 s reaper).
@Suite(.serialized, .enabled(if: TestDatabase.isAvailable, TestDatabase.skipReason))
struct ChaosTests {
    static let jobs = 30
    /// The defaults: the lease lapses 30 s after the killed agent's last heartbeat
    /// (at most 30 s after the kill) and the reaper requeues it within 1 s.
    static let schedulerArguments: [String] = []

    /// Runs `sql` on a fresh connection (so it works across the database restart); nil on any error.
    func query<T: Sendable>(_ url: DatabaseURL, _ sql: String, _ type: T.Type) async -> [T]? where T: PostgresDecodable {
        try? await PostgresStore.with(url, logger: Logger(label: "chaos")) { store in
            let rows = try await store.client.query(PostgresQuery(unsafeSQL: sql))
            var out: [T] = []
            for try await row in rows.decode(T.self) { out.append(row) }
            return out
        }
    }

    func query<A: PostgresDecodable & Sendable, B: PostgresDecodable & Sendable, C: PostgresDecodable & Sendable>(
        _ url: DatabaseURL, _ sql: String, _ type: (A, B, C).Type
    ) async -> [(A, B, C)]? {
        try? await PostgresStore.with(url, logger: Logger(label: "chaos")) { store in
            let rows = try await store.client.query(PostgresQuery(unsafeSQL: sql))
            var out: [(A, B, C)] = []
            for try await row in rows.decode((A, B, C).self) { out.append(row) }
            return out
        }
    }

    /// Whether `pid` has a child process now (an agent's worker: it is benchmarking).
    func hasChild(_ pid: pid_t) -> Bool {
        let procs = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        for entry in procs where entry.allSatisfy(\.isNumber) {
            guard let stat = try? String(contentsOfFile: "/proc/\(entry)/stat", encoding: .utf8),
                  let close = stat.lastIndex(of: ")") else { continue }
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            if fields.count > 1, Int32(fields[1]) == pid { return true }
        }
        return false
    }

    /// Every (job, attempt) a scheduler logged as leased, from all scheduler logs (killed ones too).
    func leasesLogged(in home: URL) -> [String] {
        let logs = ((try? FileManager.default.contentsOfDirectory(atPath: home.path)) ?? []).filter { $0.hasPrefix("proc-scheduler-serve-") }
        var out: [String] = []
        for name in logs {
            let text = (try? String(contentsOf: home.appendingPathComponent(name), encoding: .utf8)) ?? ""
            for line in text.split(separator: "\n") where line.contains("job leased") {
                let job = line.firstMatch(of: /job=([0-9a-f-]{36})/)?.1, attempt = line.firstMatch(of: /attempt=(\d+)/)?.1
                if let job, let attempt { out.append("\(job)#\(attempt)") }
            }
        }
        return out
    }

    @Test func thirtyJobsSurviveAKilledAgentAKilledSchedulerAndAPostgresRestart() async throws {
        let began = Date()
        let pg = try PrivateCluster()
        defer { pg.stop() }
        let url = try DatabaseURL(parsing: pg.url)
        let farm = try await TestFarm(databaseURL: pg.url, prefix: "roost-chaos", schedulerArguments: Self.schedulerArguments)
        defer { farm.stop() }
        let portB = try FreePort.find()
        var schedulerB = try await farm.launchScheduler(port: portB)
        let profile = #"{"tags": {"suite": "chaos"}}"#
        try farm.addAgent("chaos-a1", profileJSON: profile)
        try farm.addAgent("chaos-a2", profileJSON: profile)
        try farm.addAgent("chaos-b1", profileJSON: profile, via: "http://127.0.0.1:\(portB)")

        // Thirty one-job benchmarks of the smallest shipped model, through the API.
        let models = farm.home.appendingPathComponent("models")
        _ = try ReferenceSuite.write(ReferenceSuite.models[0], to: models, seed: 2026)
        let token = try #require(RoostHome.readTrimmed(farm.home.appendingPathComponent("admin.token")))
        let admin = try RoostClient(scheduler: farm.scheduler, credential: token)
        let model = try await admin.uploadModel(try Data(contentsOf: models.appendingPathComponent("mlp-mnist/model.onnx")), name: "mlp-mnist")
        let spec = BenchmarkSpec(warmupSeconds: 0.1, warmupIterations: 10, minSeconds: 0.5, minIterations: 50)
        for _ in 0..<Self.jobs {
            let b = try await admin.queueBenchmark(QueueBenchmarkRequest(modelSHA256: model.sha256, targets: "suite=chaos", spec: spec))
            #expect(b.jobs.count == 1)
        }

        // 1. kill -9 an agent of scheduler A while its worker is benchmarking.
        var victim: (job: UUID, attempt: Int, agent: String)?
        let deadline = Date().addingTimeInterval(90)
        while victim == nil, Date() < deadline {
            for (job, attempt, name) in await query(url, """
                SELECT j.id, j.attempt, a.name FROM jobs j JOIN agents a ON a.id = j.agent_id
                WHERE j.state IN ('leased', 'running') AND a.name IN ('chaos-a1', 'chaos-a2')
                """, (UUID, Int, String).self) ?? [] {
                if let agent = farm.agent(name), hasChild(agent.child.pid) { victim = (job, attempt, name); break }
            }
            if victim == nil { try await Task.sleep(for: .milliseconds(100)) }
        }
        let killed = try #require(victim, "no agent of scheduler A was seen benchmarking\n\(farm.logs)")
        let killedAt = Date()
        farm.agent(killed.agent)!.child.signal(SIGKILL)
        // Watch, while the rest happens, for the job's return to the queue and
        // for its next lease (its attempt counts up).
        let requeue = Task { () -> (requeued: Double?, leased: Double?) in
            var requeued: Double?
            while Date().timeIntervalSince(killedAt) < 120 {
                if let (state, attempt, _) = await query(url, "SELECT state, attempt, 0 FROM jobs WHERE id = '\(killed.job.uuidString.lowercased())'", (String, Int, Int).self)?.first {
                    let now = Date().timeIntervalSince(killedAt)
                    if requeued == nil, state == "queued" || attempt > killed.attempt { requeued = now }
                    if attempt > killed.attempt { return (requeued, now) }
                }
                try? await Task.sleep(for: .milliseconds(100))
            }
            return (requeued, nil)
        }

        // 2. kill -9 scheduler B; its agent retries until it is back on the same port.
        try await Task.sleep(for: .seconds(1))
        schedulerB.child.signal(SIGKILL)
        _ = await schedulerB.child.exit(within: 10)
        try await Task.sleep(for: .seconds(2))
        schedulerB = try await farm.launchScheduler(port: portB)

        // 3. Restart PostgreSQL under everyone.
        try await Task.sleep(for: .seconds(2))
        let down = try pg.restart()
        let restartedAt = Date()

        // Every job finishes.
        let finishDeadline = Date().addingTimeInterval(150)
        var states: [String: Int] = [:]
        while Date() < finishDeadline {
            if let rows = await query(url, "SELECT state, count(*)::int, 0 FROM jobs GROUP BY state", (String, Int, Int).self) {
                states = Dictionary(uniqueKeysWithValues: rows.map { ($0.0, $0.1) })
                if states.keys.allSatisfy(BenchmarkStatus.terminalStates.contains), states.values.reduce(0, +) == Self.jobs { break }
            }
            try await Task.sleep(for: .milliseconds(500))
        }
        let requeueDelay = await requeue.value

        // One accepted result per job, all succeeded; no attempt leased twice.
        let results = await query(url, "SELECT count(*)::int, count(DISTINCT job_id)::int, count(*) FILTER (WHERE status = 'succeeded')::int FROM results",
                                  (Int, Int, Int).self)?.first
        let histories = await query(url, "SELECT attempts::text FROM jobs", String.self) ?? []
        var badHistories = 0
        for text in histories {
            let attempts = try RoostJSON.decoder().decode([JobAttempt].self, from: Data(text.utf8))
            let numbers = attempts.map(\.attempt)
            if numbers != Array(1...max(1, numbers.count)) || attempts.last?.outcome != .succeeded { badHistories += 1 }
        }
        let afterRestart = await query(url, "SELECT count(*)::int FROM results WHERE created_at > to_timestamp(\(restartedAt.timeIntervalSince1970))",
                                       Int.self)?.first ?? -1
        let leases = leasesLogged(in: farm.home)
        let duplicateLeases = leases.count - Set(leases).count
        // Busy agents get each next job with their last result (one exchange per job).
        let chained = ["chaos-a1", "chaos-a2", "chaos-b1"].flatMap { (farm.agent($0)?.log ?? "").split(separator: "\n") }
            .filter { $0.contains("result accepted") && $0.contains("next=") }.count
        let wall = Date().timeIntervalSince(began)
        print("""
            chaos: \(Self.jobs) jobs; states \(states.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")); \
            results \(results?.0 ?? -1) (distinct jobs \(results?.1 ?? -1), succeeded \(results?.2 ?? -1)); \
            leases logged \(leases.count), duplicated \(duplicateLeases), \(chained) with a result; histories out of order \(badHistories); \
            killed \(killed.agent) on job \(killed.job.uuidString.prefix(8)) attempt \(killed.attempt): requeued after \
            \(requeueDelay.requeued.map { String(format: "%.1f s", $0) } ?? "never"), next lease after \
            \(requeueDelay.leased.map { String(format: "%.1f s", $0) } ?? "never"); PostgreSQL down \(String(format: "%.1f s", down)), \(afterRestart) results after it; \
            wall \(String(format: "%.0f s", wall))
            """)

        #expect(states == ["succeeded": Self.jobs], "\(states)\n\(farm.logs)")
        #expect(results?.0 == Self.jobs && results?.1 == Self.jobs && results?.2 == Self.jobs, "\(String(describing: results))")
        #expect(badHistories == 0)
        #expect(duplicateLeases == 0, "\(leases.sorted())")
        #expect(leases.count >= Self.jobs + 1, "the killed job's second lease must be among the logged ones")
        #expect(chained > 0, "no agent got its next job with a result")
        #expect((requeueDelay.requeued ?? .infinity) < 35, "requeue took \(String(describing: requeueDelay))")
        #expect(requeueDelay.leased != nil, "the killed job was never leased again")
        // Everyone else survived the scheduler kill and the database restart.
        #expect(schedulerB.child.isRunning, "\(schedulerB.log)")
        #expect(farm.schedulerProcess?.child.isRunning == true, "\(farm.schedulerProcess?.log ?? "")")
        for name in ["chaos-a1", "chaos-a2", "chaos-b1"] where name != killed.agent {
            #expect(farm.agent(name)?.child.isRunning == true, "\(name): \(farm.agent(name)?.log ?? "")")
        }
        #expect(afterRestart > 0, "no job finished after the database restart: the test did not exercise it")
        #expect(wall < 180)
    }
}
