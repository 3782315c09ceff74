import Foundation
import Logging
import PostgresNIO
import Testing
import RoostCore
import RoostStore
import RoostTestDatabase
import RoostTestSupport

/// The farm when things go wrong, with real processes: the scheduler dies while
/// a job runs, an agent is told to stop mid-job, operators drain, pause and
/// cancel through the CLI.
@Suite(.serialized, .enabled(if: TestDatabase.isAvailable, TestDatabase.skipReason))
struct FarmReliabilityTests {
    /// Writes the shipped MLP and returns its path.
    func mlp(_ farm: TestFarm) throws -> URL {
        try ShippedModels.mlp(in: farm.home.appendingPathComponent("models"))
    }

    /// Validity limits opened wide, for jobs whose result must be delivered but whose
    /// timing nobody reads: a run the shared machine spoiled is then not rerun (up to
    /// two more tries, each after a 1 s settle), so the job lasts what `minSeconds` says.
    static let anyTiming = ["--max-p50-interval", "1", "--max-p99-interval", "100", "--max-dispersion", "100", "--max-drift", "10",
                            "--max-other-cpu", "1"]

    /// `roost bench queue` without waiting; the new benchmark's id.
    func queue(_ farm: TestFarm, _ model: URL, targets: String, minSeconds: Double, options: [String] = []) throws -> String {
        let out = try farm.roost(["bench", "queue", model.path, "--targets", targets, "--min-seconds", String(minSeconds), "--json", "--scheduler", farm.scheduler]
                                 + options)
        guard out.status == 0 else { throw RoostError.io("queue failed: \(out.stderr)\n\(farm.logs)") }
        return try RoostJSON.decoder().decode(BenchmarkStatus.self, from: Data(out.stdout.utf8)).benchmarkID
    }

    func waitUntil(_ what: String, timeout: Double = 60, _ farm: TestFarm, _ condition: () throws -> Bool) async throws {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if try condition() { return }
            try await Task.sleep(for: .milliseconds(200))
        }
        throw RoostError.io("timed out waiting for \(what)\n\(farm.logs)")
    }

    func resultCount(_ url: DatabaseURL) async throws -> Int {
        try await PostgresStore.with(url, logger: Logger(label: "it")) { store in
            let rows = try await store.client.query("SELECT count(*) FROM results")
            for try await n in rows.decode(Int.self) { return n }
            return -1
        }
    }

    /// A farm with one agent (tagged `suite=NAME`) whose mlp-mnist job is running;
    /// with `benchmarking`, past its downloads (which wait out a missing scheduler).
    func farmWithARunningJob(_ url: DatabaseURL, agent name: String, minSeconds: Double, benchmarking: Bool = false,
                             schedulerArguments: [String] = [], options: [String] = []) async throws -> (farm: TestFarm, agent: RoostProcess, job: String) {
        let farm = try await TestFarm(databaseURL: url.description, prefix: "roost-\(name)", schedulerArguments: schedulerArguments)
        do {
            let agent = try farm.addAgent(name, profileJSON: #"{"tags": {"suite": "\#(name)"}}"#)
            let id = try queue(farm, try mlp(farm), targets: "suite=\(name)", minSeconds: minSeconds, options: options)
            try await farm.waitFor(id, "the job to run") { $0.jobs.first?.state == "running" }
            if benchmarking {
                try await waitUntil("the worker to start", farm) { agent.log.contains("benchmarking") }
            }
            return (farm, agent, id)
        } catch {
            farm.stop()
            throw error
        }
    }

    /// Results waiting in an agent's outbox.
    func outboxEntries(_ farm: TestFarm, agent name: String) -> [String] {
        let outbox = farm.home.appendingPathComponent("agents/\(name)/outbox")
        return ((try? FileManager.default.contentsOfDirectory(atPath: outbox.path)) ?? []).filter { $0.hasSuffix(".json") }
    }

    @Test func aResultFinishedWhileTheSchedulerIsDownLandsOnceFromTheOutbox() async throws {
        try await TestDatabase.withFreshDatabase { url in
            // A long lease: the scheduler's downtime must not look like a dead agent.
            let (farm, agent, id) = try await farmWithARunningJob(url, agent: "outbox-agent", minSeconds: 3, benchmarking: true, schedulerArguments: ["--lease-seconds", "120"],
                                                                  options: Self.anyTiming)
            defer { farm.stop() }
            farm.stopScheduler()
            func waiting() -> [String] { outboxEntries(farm, agent: "outbox-agent") }
            // The job ends with nobody to tell: the result waits on disk.
            try await waitUntil("the result in the outbox", farm) { waiting().count == 1 && agent.log.contains("result kept in the outbox") }
            #expect(agent.child.isRunning)

            try await farm.startScheduler()
            let done = try await farm.waitFor(id, "the result to land") { $0.isFinished }
            let job = try #require(done.jobs.first)
            #expect(job.state == "succeeded" && job.attempt == 1, "\(job)")
            #expect(job.attempts?.map(\.outcome) == [.succeeded])
            try await waitUntil("the outbox to empty", farm) { waiting().isEmpty }
            #expect(try await resultCount(url) == 1)
            #expect(agent.child.isRunning)
        }
    }

    @Test func anAgentStoppedWithAnUndeliveredResultDeliversItFirstWhenItStartsAgain() async throws {
        try await TestDatabase.withFreshDatabase { url in
            let (farm, agent, id) = try await farmWithARunningJob(url, agent: "restart-agent", minSeconds: 2, benchmarking: true, schedulerArguments: ["--lease-seconds", "120"],
                                                                  options: Self.anyTiming)
            defer { farm.stop() }
            farm.stopScheduler()
            func waiting() -> [String] { outboxEntries(farm, agent: "restart-agent") }
            try await waitUntil("the result in the outbox", farm) { waiting().count == 1 }

            // Stopped with the result undelivered: exit 0, the result stays on disk.
            agent.child.signal(SIGTERM)
            #expect(await agent.child.exit(within: 30) == .exited(0), "\(agent.log)")
            #expect(waiting().count == 1)

            try await farm.startScheduler()
            let again = try farm.startAgent("restart-agent")
            let done = try await farm.waitFor(id, "the result to land") { $0.isFinished }
            #expect(done.jobs.map(\.state) == ["succeeded"] && done.jobs.first?.attempt == 1, "\(done.jobs)")
            #expect(again.log.contains("delivering results from the outbox"), "\(again.log)")
            #expect(waiting().isEmpty)
            #expect(try await resultCount(url) == 1)
        }
    }

    @Test func anAgentKilledMidJobAndStartedAgainEndsItsOldAttemptWithoutWaitingForTheLease() async throws {
        try await TestDatabase.withFreshDatabase { url in
            // The default 30 s lease: the old attempt must end long before it could lapse.
            // A 1 s requeue backoff (default 5 s): the second attempt below need not wait longer.
            let (farm, agent, id) = try await farmWithARunningJob(url, agent: "orphan-agent", minSeconds: 60, schedulerArguments: ["--retry-backoff-seconds", "1"])
            defer { farm.stop() }

            agent.child.signal(SIGKILL)
            _ = await agent.child.exit(within: 10)
            let killedAt = Date()
            let again = try farm.startAgent("orphan-agent")
            let s = try await farm.waitFor(id, timeout: 25, "the old attempt to end") { ($0.jobs.first?.attempts?.count ?? 0) >= 1 }
            let ended = Date().timeIntervalSince(killedAt)
            let job = try #require(s.jobs.first)
            let first = try #require(job.attempts?.first)
            #expect(first.attempt == 1 && first.outcome == .leaseExpired, "\(job)")
            #expect(first.error == "the agent restarted while holding the lease", "\(job)")
            #expect(ended < 20, "took \(ended) s")
            // Requeued after the backoff and leased again, by the restarted agent.
            try await farm.waitFor(id, timeout: 60, "the second attempt") { $0.jobs.first?.attempt == 2 && $0.jobs.first?.state == "running" }
            #expect(again.log.contains("agent running"), "\(again.log)")
            #expect(farm.schedulerProcess?.log.contains("lease of a restarted agent ended") == true)
        }
    }

    @Test func sigtermMidJobHandsTheJobBackAndExitsZero() async throws {
        try await TestDatabase.withFreshDatabase { url in
            let (farm, agent, id) = try await farmWithARunningJob(url, agent: "term-agent", minSeconds: 60)
            defer { farm.stop() }

            agent.child.signal(SIGTERM)
            let exit = await agent.child.exit(within: 30)
            #expect(exit == .exited(0), "\(String(describing: exit))\n\(agent.log)")
            #expect(agent.log.contains("job handed back"))

            let s = try farm.status(id)
            let job = try #require(s.jobs.first)
            #expect(job.state == "queued" && job.attempt == 0 && job.errorMessage == nil, "\(job)")
            #expect(job.attempts?.map(\.outcome) == [.released])
            #expect(try await resultCount(url) == 0)
            let text = try farm.roost(["bench", "status", id, "--scheduler", farm.scheduler])
            #expect(text.stdout.contains("attempt 1 on term-agent: released (agent term-agent is stopping)"), "\(text.stdout)")

            // Nobody is left to run it: cancel through the CLI ends the queued job.
            let cancel = try farm.roost(["bench", "cancel", id, "--scheduler", farm.scheduler])
            #expect(cancel.status == 0 && cancel.stdout.contains("1 queued job(s) cancelled"), "\(cancel.stdout)\(cancel.stderr)")
            #expect(try farm.status(id).jobs.map(\.state) == ["cancelled"])
        }
    }

    @Test func operatorsDrainPauseResumeListAndCancelThroughTheCLI() async throws {
        try await TestDatabase.withFreshDatabase { url in
            let farm = try await TestFarm(databaseURL: url.description, prefix: "roost-ops")
            defer { farm.stop() }
            let agent = try farm.addAgent("ops-agent", profileJSON: #"{"tags": {"suite": "ops"}}"#)
            let s = farm.scheduler
            func list() throws -> [AgentRow] {
                let out = try farm.roost(["agent", "list", "--json", "--scheduler", s])
                guard out.status == 0 else { throw RoostError.io("agent list failed: \(out.stderr)") }
                return try RoostJSON.decoder().decode([AgentRow].self, from: Data(out.stdout.utf8))
            }
            // The agent shows up active once it has polled.
            try await waitUntil("the agent to poll", farm) { try list().first?.lastHeartbeat != nil }
            #expect(try list().map(\.state) == ["active"])
            let table = try farm.roost(["agent", "list", "--scheduler", s])
            #expect(table.stdout.contains("NAME") && table.stdout.contains("ops-agent") && table.stdout.contains("active"), "\(table.stdout)")

            // Paused: queued work waits.
            let pause = try farm.roost(["agent", "pause", "ops-agent", "--scheduler", s])
            #expect(pause.status == 0 && pause.stdout.contains("paused"), "\(pause.stderr)")
            let id = try queue(farm, try mlp(farm), targets: "suite=ops", minSeconds: 60)
            try await Task.sleep(for: .seconds(2))
            #expect(try farm.status(id).jobs.map(\.state) == ["queued"])
            #expect(try list().map(\.state) == ["paused"])

            // Resumed: it runs. Drained: it shows draining with its job.
            #expect(try farm.roost(["agent", "resume", "ops-agent", "--scheduler", s]).status == 0)
            let running = try await farm.waitFor(id, "the job to run") { $0.jobs.first?.state == "running" }
            let jobID = try #require(running.jobs.first?.jobID)
            let drain = try farm.roost(["agent", "drain", "ops-agent", "--scheduler", s])
            #expect(drain.status == 0 && drain.stdout.contains("draining"), "\(drain.stdout)\(drain.stderr)")
            let draining = try #require(try list().first)
            #expect(draining.state == "draining" && draining.currentJob == jobID)

            // Cancelled while running: stopped at the next heartbeat; the drained agent ends paused.
            let cancel = try farm.roost(["bench", "cancel", id, "--json", "--scheduler", s])
            #expect(cancel.status == 0, "\(cancel.stderr)")
            #expect(try RoostJSON.decoder().decode(CancelResponse.self, from: Data(cancel.stdout.utf8)).stopping == 1)
            let cancelled = try await farm.waitFor(id, timeout: 30, "the job to be cancelled") { $0.isFinished }
            #expect(cancelled.jobs.map(\.state) == ["cancelled"])
            try await waitUntil("the agent to stop its worker", farm) { agent.log.contains("job cancelled; worker stopped") }
            let after = try #require(try list().first)
            #expect(after.state == "paused" && after.currentJob == nil, "\(after)")
            #expect(agent.child.isRunning)
            #expect(try await resultCount(url) == 0)

            // Bad input: clear errors, non-zero exits.
            let unknown = try farm.roost(["agent", "pause", "nobody", "--scheduler", s])
            #expect(unknown.status != 0 && unknown.stderr.contains("no agent named 'nobody'"), "\(unknown.stderr)")
            let badID = try farm.roost(["bench", "cancel", "not-an-id", "--scheduler", s])
            #expect(badID.status != 0 && badID.stderr.contains("not a benchmark id"), "\(badID.stderr)")
            let missing = try farm.roost(["bench", "cancel", UUID().uuidString, "--scheduler", s])
            #expect(missing.status != 0 && missing.stderr.contains("404"), "\(missing.stderr)")

            // An idle agent stops at once too: the long-poll is interrupted, exit 0.
            let asked = ContinuousClock.now
            agent.child.signal(SIGTERM)
            #expect(await agent.child.exit(within: 30) == .exited(0), "\(agent.log)")
            #expect(ContinuousClock.now - asked < .seconds(10))
        }
    }

    /// The JSON of `roost agent list --json`, as a script would read it.
    struct AgentRow: Decodable {
        var name: String
        var state: String
        var lastHeartbeat: Date?
        var currentJob: String?
        var target: String
    }
}
