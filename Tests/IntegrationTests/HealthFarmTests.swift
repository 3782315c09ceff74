import Foundation
import Logging
import PostgresNIO
import Testing
import RoostCore
import RoostStore
import RoostTestDatabase
import RoostTestSupport

/// Agent health through real processes: the first start records the golden
/// baseline; three jobs in a row that crash the worker quarantine the agent,
/// which then takes no work until an operator resumes it.
@Suite(.serialized, .enabled(if: TestDatabase.isAvailable, TestDatabase.skipReason))
struct HealthFarmTests {
    struct AgentRow: Decodable {
        var name: String
        var state: String
        var stateReason: String?
        var health: AgentHealth?
    }

    func list(_ farm: TestFarm) throws -> [AgentRow] {
        let out = try farm.roost(["agent", "list", "--json", "--scheduler", farm.scheduler])
        guard out.status == 0 else { throw RoostError.io("agent list failed: \(out.stderr)") }
        return try RoostJSON.decoder().decode([AgentRow].self, from: Data(out.stdout.utf8))
    }

    func queue(_ farm: TestFarm, _ model: URL) throws -> String {
        let out = try farm.roost(["bench", "queue", model.path, "--targets", "suite=health", "--min-seconds", "0.2", "--min-iterations", "20",
                                  "--json", "--scheduler", farm.scheduler])
        guard out.status == 0 else { throw RoostError.io("queue failed: \(out.stderr)\n\(farm.logs)") }
        return try RoostJSON.decoder().decode(BenchmarkStatus.self, from: Data(out.stdout.utf8)).benchmarkID
    }

    func waitUntil(_ what: String, timeout: Double = 90, _ farm: TestFarm, _ condition: () async throws -> Bool) async throws {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if try await condition() { return }
            try await Task.sleep(for: .milliseconds(250))
        }
        throw RoostError.io("timed out waiting for \(what)\n\(farm.logs)")
    }

    /// (outcome, sample count, p50) of every stored health check, oldest first.
    func checks(_ url: DatabaseURL) async throws -> [(String, Int, Double?)] {
        try await PostgresStore.with(url, logger: Logger(label: "it")) { store in
            let rows = try await store.client.query("SELECT outcome, cardinality(samples_ms), p50_ms FROM health_checks ORDER BY id")
            var out: [(String, Int, Double?)] = []
            for try await row in rows.decode((String, Int, Double?).self) { out.append(row) }
            return out
        }
    }

    @Test func theFirstStartRecordsABaselineAndThreeCrashingJobsQuarantineUntilResumed() async throws {
        try await TestDatabase.withFreshDatabase { url in
            let farm = try await TestFarm(databaseURL: url.description, prefix: "roost-health")
            defer { farm.stop() }
            let agent = try farm.addAgent("health-agent", profileJSON: #"{"tags": {"suite": "health"}, "workerMemoryLimitMB": 768}"#)

            // The enrollment baseline: raw samples in PostgreSQL, shown by `agent list`.
            try await waitUntil("the baseline health check", farm) { try await checks(url).count == 1 }
            let baseline = try #require(try await checks(url).first)
            #expect(baseline.0 == "baseline" && baseline.1 >= 300 && (baseline.2 ?? 0) > 0, "\(baseline)\n\(agent.log)")
            let row = try #require(try list(farm).first)
            #expect(row.state == "active" && row.health?.baselineP50Ms == baseline.2 && row.health?.checks == 1, "\(row)")
            #expect(agent.log.contains("health check reported"), "\(agent.log)")
            let table = try farm.roost(["agent", "list", "--scheduler", farm.scheduler]).stdout
            #expect(table.contains("HEALTH") && table.contains("baseline p50"), "\(table)")

            // Three models that crash the worker, then a good one: quarantined after
            // the third crash, so the good one is not leased.
            let hog = farm.home.appendingPathComponent("memory-hog.onnx")
            try WorkerCrashFarmTests.memoryHog().write(to: hog)
            let models = farm.home.appendingPathComponent("models")
            _ = try ShippedModels.mlp(in: models)
            // Queued while the agent is paused, so all four wait in order: otherwise the
            // third crash can quarantine the agent before the good job is even queued.
            #expect(try farm.roost(["agent", "pause", "health-agent", "--scheduler", farm.scheduler]).status == 0)
            let crashes = try (0..<3).map { _ in try queue(farm, hog) }
            let mlp = try queue(farm, models.appendingPathComponent("mlp-mnist/model.onnx"))
            #expect(try farm.roost(["agent", "resume", "health-agent", "--scheduler", farm.scheduler]).status == 0)
            try await waitUntil("the agent to be quarantined", farm) { try list(farm).first?.state == "quarantined" }
            for id in crashes { #expect(try farm.status(id).jobs.map(\.state) == ["error"]) }
            let quarantined = try #require(try list(farm).first)
            #expect(quarantined.stateReason?.hasPrefix("3 job errors in a row; last: worker crashed with signal") == true, "\(quarantined)")
            #expect(try farm.roost(["agent", "list", "--scheduler", farm.scheduler]).stdout.contains("3 job errors in a row"))

            // No new work while quarantined: the queued job waits, new benchmarks are refused; the agent process is fine.
            try await Task.sleep(for: .seconds(3))
            #expect(try farm.status(mlp).jobs.map(\.state) == ["queued"])
            #expect(agent.child.isRunning)
            let refused = try farm.roost(["bench", "queue", hog.path, "--targets", "suite=health", "--scheduler", farm.scheduler])
            #expect(refused.status != 0 && refused.stderr.contains("no active or paused agent matches"), "\(refused.stderr)")

            // The operator fixed the machine: resume clears the quarantine and the job runs.
            let resume = try farm.roost(["agent", "resume", "health-agent", "--scheduler", farm.scheduler])
            #expect(resume.status == 0 && resume.stdout.contains("health-agent: active"), "\(resume.stdout)\(resume.stderr)")
            let done = try await farm.waitFor(mlp, timeout: 90, "the job to run after resume") { $0.isFinished }
            #expect(done.jobs.map(\.state) == ["succeeded"])
            let after = try #require(try list(farm).first)
            #expect(after.state == "active" && after.stateReason == nil, "\(after)")
            // Only the one baseline check: nothing was due since (6 h / 50 jobs).
            #expect(try await checks(url).count == 1)
        }
    }
}
