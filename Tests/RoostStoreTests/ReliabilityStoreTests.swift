import Foundation
import Logging
import PostgresNIO
import Testing
import RoostCore
import RoostTestDatabase
import RoostTestSupport
@testable import RoostStore

/// Leases, retries, hand-backs, cancels and agent states against the real test
/// cluster: every transition is one guarded statement, so these are SQL tests.
@Suite(.enabled(if: TestDatabase.isAvailable, TestDatabase.skipReason))
struct ReliabilityStoreTests {
    let logger = Logger(label: "roost.test")
    let hardware = StoreFixture.testHardware
    let result = BenchmarkResult(status: .succeeded, statistics: LatencyStatistics(samplesMs: [1, 2, 3], wallSeconds: 0.006),
                                 samplesMs: [1, 2, 3], environment: RunEnvironment())

    struct Farm {
        var agents: [String]
        var signature: String
        var benchmarkID: String
    }

    /// Three agents (`agent0`…`agent2`) on one target and a benchmark of `jobs` queued jobs.
    func seed(_ store: PostgresStore, jobs: Int) async throws -> Farm {
        let fixture = StoreFixture(store, hardware: hardware)
        let agents = try await fixture.enroll(count: 3)
        return Farm(agents: agents, signature: fixture.target.signature, benchmarkID: try await fixture.queue(jobs: jobs))
    }

    func job(_ store: PostgresStore, _ farm: Farm, _ id: String) async throws -> JobSummary {
        try #require(try await store.benchmarkStatus(id: farm.benchmarkID)?.jobs.first(where: { $0.jobID == id }))
    }

    func lease(_ store: PostgresStore, _ farm: Farm, agent: Int = 0, seconds: Double = 30) async throws -> JobAssignment? {
        try await store.lease(agentID: farm.agents[agent], targetSignatures: [farm.signature], leaseSeconds: seconds)
    }

    /// Seconds between the requeue and the end of the backoff, as stored.
    func backoff(_ store: PostgresStore, _ id: String) async throws -> Double {
        let rows = try await store.client.query("SELECT extract(epoch FROM not_before - updated_at)::float8 FROM jobs WHERE id = \(UUID(uuidString: id)!)")
        for try await s in rows.decode(Double.self) { return s }
        return -1
    }

    @Test func expiredLeasesRetryWithBackoffThenFailKeepingEveryError() async throws {
        try await TestDatabase.withFreshDatabase { url in
            try await PostgresStore.with(url, logger: logger, migrate: true) { store in
                let farm = try await seed(store, jobs: 1)
                // Long enough that a busy test machine cannot outwait it between two calls.
                let base = 3.0
                for attempt in 1...3 {
                    let a = try #require(try await lease(store, farm, agent: attempt % 3, seconds: 0.05), "attempt \(attempt) not leased")
                    #expect(a.attempt == attempt)
                    try await Task.sleep(for: .milliseconds(100))
                    #expect(try await store.requeueExpiredLeases(backoffSeconds: base, maxBackoffSeconds: 10) == 1)
                    let j = try await job(store, farm, a.jobID)
                    if attempt < 3 {
                        #expect(j.state == "queued")
                        // Exponential: 3 s, then 6 s, on the database clock.
                        #expect(abs(try await backoff(store, a.jobID) - base * Double(1 << (attempt - 1))) < 0.001)
                        // Not leased again before the backoff ends, by anyone.
                        #expect(try await lease(store, farm, agent: 1) == nil)
                        #expect(try await lease(store, farm, agent: 2) == nil)
                        try await Task.sleep(for: .milliseconds(Int(base * Double(1 << (attempt - 1)) * 1000) + 150))
                    } else {
                        #expect(j.state == "failed")
                        #expect(j.errorMessage == "lease expired on attempt 3 of 3")
                        #expect(j.notBefore == nil)
                        let history = try #require(j.attempts)
                        #expect(history.map(\.attempt) == [1, 2, 3])
                        #expect(history.allSatisfy { $0.outcome == .leaseExpired && $0.error?.contains("lease expired") == true })
                        #expect(history.map(\.agentName) == ["agent1", "agent2", "agent0"])
                    }
                }
                #expect(try await lease(store, farm, agent: 1) == nil)
            }
        }
    }

    @Test func aStaleTokenChangesNothing() async throws {
        try await TestDatabase.withFreshDatabase { url in
            try await PostgresStore.with(url, logger: logger, migrate: true) { store in
                let farm = try await seed(store, jobs: 1)
                let first = try #require(try await lease(store, farm, seconds: 0.05))
                try await Task.sleep(for: .milliseconds(100))
                #expect(try await store.requeueExpiredLeases(backoffSeconds: 0, maxBackoffSeconds: 0) == 1)
                let second = try #require(try await lease(store, farm, agent: 1))
                #expect(second.attempt == 2)
                let before = try await job(store, farm, first.jobID)
                // The presumed-dead first attempt: heartbeat, hand-back and result are all refused.
                #expect(try await store.heartbeatJob(jobID: first.jobID, leaseToken: first.leaseToken, agentID: nil, phase: "zombie", leaseSeconds: 30) == nil)
                #expect(try await store.releaseJob(jobID: first.jobID, leaseToken: first.leaseToken, agentID: nil, reason: "zombie") == false)
                #expect(try await store.submitResult(jobID: first.jobID, leaseToken: first.leaseToken, result: result) == false)
                #expect(try await job(store, farm, first.jobID) == before)
                let rows = try await store.client.query("SELECT count(*) FROM results")
                for try await n in rows.decode(Int.self) { #expect(n == 0) }
                // The current attempt still reports, once.
                #expect(try await store.submitResult(jobID: second.jobID, leaseToken: second.leaseToken, result: result))
                let done = try await job(store, farm, second.jobID)
                #expect(done.state == "succeeded" && done.attempts?.map(\.outcome) == [.leaseExpired, .succeeded])
            }
        }
    }

    @Test func aHandedBackAttemptIsRequeuedWithoutCounting() async throws {
        try await TestDatabase.withFreshDatabase { url in
            try await PostgresStore.with(url, logger: logger, migrate: true) { store in
                let farm = try await seed(store, jobs: 1)
                // More hand-backs than max_attempts: none of them counts.
                for _ in 0..<4 {
                    let a = try #require(try await lease(store, farm))
                    #expect(a.attempt == 1)
                    #expect(try await store.heartbeatJob(jobID: a.jobID, leaseToken: a.leaseToken, agentID: nil, phase: "benchmarking", leaseSeconds: 30) != nil)
                    #expect(try await store.releaseJob(jobID: a.jobID, leaseToken: a.leaseToken, agentID: nil, reason: "agent stopping"))
                    let j = try await job(store, farm, a.jobID)
                    #expect(j.state == "queued" && j.attempt == 0 && j.notBefore == nil && j.errorMessage == nil)
                    #expect(j.attempts?.last?.outcome == .released && j.attempts?.last?.error == "agent stopping")
                }
                let last = try #require(try await lease(store, farm, agent: 1))
                #expect(last.attempt == 1)
                #expect(try await store.submitResult(jobID: last.jobID, leaseToken: last.leaseToken, result: result))
            }
        }
    }

    @Test func cancelEndsQueuedJobsAndStopsRunningOnesAtTheirNextHeartbeat() async throws {
        try await TestDatabase.withFreshDatabase { url in
            try await PostgresStore.with(url, logger: logger, migrate: true) { store in
                let farm = try await seed(store, jobs: 4)
                let alive = try #require(try await lease(store, farm, agent: 0))
                let dead = try #require(try await lease(store, farm, agent: 1, seconds: 0.3))
                #expect(try await store.heartbeatJob(jobID: alive.jobID, leaseToken: alive.leaseToken, agentID: nil, phase: "benchmarking", leaseSeconds: 30)?.cancel == false)
                #expect(try await store.cancelBenchmark(id: UUID().uuidString) == nil)
                let outcome = try #require(try await store.cancelBenchmark(id: farm.benchmarkID))
                #expect(outcome.cancelled == 2 && outcome.stopping == 2)
                #expect(try await lease(store, farm, agent: 2) == nil)
                // The live attempt hears it at its next heartbeat; the job is closed there and then.
                let reply = try #require(try await store.heartbeatJob(jobID: alive.jobID, leaseToken: alive.leaseToken, agentID: nil, phase: "benchmarking", leaseSeconds: 30))
                #expect(reply.cancel)
                #expect(try await job(store, farm, alive.jobID).state == "cancelled")
                #expect(try await store.submitResult(jobID: alive.jobID, leaseToken: alive.leaseToken, result: result) == false)
                // The dead one's lease expires into `cancelled`, not back into the queue.
                try await Task.sleep(for: .milliseconds(400))
                #expect(try await store.requeueExpiredLeases() == 1)
                let status = try #require(try await store.benchmarkStatus(id: farm.benchmarkID))
                #expect(status.jobs.allSatisfy { $0.state == "cancelled" }, "\(status.jobs.map(\.state))")
                #expect(status.isFinished)
                #expect(try await job(store, farm, dead.jobID).attempts?.map(\.outcome) == [.leaseExpired])
                // A second cancel finds nothing left to do.
                #expect(try await store.cancelBenchmark(id: farm.benchmarkID) == CancelResponse(benchmarkID: farm.benchmarkID, cancelled: 0, stopping: 0))
            }
        }
    }

    @Test func anAgentThatDiesDrainingEndsPausedOnceItsLeaseExpires() async throws {
        try await TestDatabase.withFreshDatabase { url in
            try await PostgresStore.with(url, logger: logger, migrate: true) { store in
                let farm = try await seed(store, jobs: 1)
                _ = try #require(try await lease(store, farm, agent: 0, seconds: 0.05))
                guard case .changed(let draining) = try await store.changeAgentState(name: "agent0", action: .drain) else { Issue.record("drain"); return }
                #expect(draining.state == "draining")
                try await store.settleDraining(agentID: nil)
                #expect(try await store.agentStatuses(offlineAfterSeconds: 90).first?.state == "draining")
                try await Task.sleep(for: .milliseconds(100))
                #expect(try await store.requeueExpiredLeases() == 1)
                try await store.settleDraining(agentID: nil)
                let agents = try await store.agentStatuses(offlineAfterSeconds: 90)
                #expect(agents.map(\.state) == ["paused", "active", "active"])
            }
        }
    }

    @Test func aDrainingAgentsErrorResultLeavesItDrainingForTheRoutesQuarantineCheck() async throws {
        try await TestDatabase.withFreshDatabase { url in
            try await PostgresStore.with(url, logger: logger, migrate: true) { store in
                let farm = try await seed(store, jobs: 1)
                let a0 = try #require(try await lease(store, farm, agent: 0))
                guard case .changed = try await store.changeAgentState(name: "agent0", action: .drain) else { Issue.record("drain"); return }
                #expect(try await store.submitResult(jobID: a0.jobID, leaseToken: a0.leaseToken, result: .failure("boom", environment: RunEnvironment())))
                #expect(try await store.agentStatuses(offlineAfterSeconds: 90).first?.state == "draining")
                try await store.settleDraining(agentID: farm.agents[0])
                #expect(try await store.agentStatuses(offlineAfterSeconds: 90).first?.state == "paused")
            }
        }
    }

    @Test func drainedAndPausedAgentsLeaseNothing() async throws {
        try await TestDatabase.withFreshDatabase { url in
            try await PostgresStore.with(url, logger: logger, migrate: true) { store in
                let farm = try await seed(store, jobs: 3)
                func state(_ name: String) async throws -> String? {
                    try await store.agentStatuses(offlineAfterSeconds: 90).first(where: { $0.name == name })?.status
                }
                // Pause and resume.
                guard case .changed(let paused) = try await store.changeAgentState(name: "agent0", action: .pause) else { Issue.record("pause"); return }
                #expect(paused.state == "paused" && paused.status == "paused")
                #expect(try await lease(store, farm, agent: 0) == nil)
                guard case .changed = try await store.changeAgentState(name: "agent0", action: .resume) else { Issue.record("resume"); return }
                let a0 = try #require(try await lease(store, farm, agent: 0))

                // Draining a busy agent: no more work; paused once its job ends.
                let a1 = try #require(try await lease(store, farm, agent: 1))
                guard case .changed(let draining) = try await store.changeAgentState(name: "agent1", action: .drain) else { Issue.record("drain"); return }
                #expect(draining.state == "draining" && draining.currentJob == a1.jobID)
                #expect(try await lease(store, farm, agent: 1) == nil)
                try await store.settleDraining(agentID: farm.agents[1])
                #expect(try await state("agent1") == "draining")
                // Its successful result pauses it in the same statement.
                #expect(try await store.submitResult(jobID: a1.jobID, leaseToken: a1.leaseToken, result: result))
                #expect(try await state("agent1") == "paused")
                #expect(try await lease(store, farm, agent: 1) == nil)

                // Draining an idle agent pauses it at once.
                guard case .changed(let idle) = try await store.changeAgentState(name: "agent2", action: .drain) else { Issue.record("drain idle"); return }
                #expect(idle.state == "paused")
                #expect(try await lease(store, farm, agent: 2) == nil)

                // A quarantined agent has nothing to drain (resume clears it: HealthStoreTests); unknown names are not found.
                try await store.client.query("UPDATE agents SET state = 'quarantined' WHERE name = 'agent2'")
                guard case .refused(let quarantined) = try await store.changeAgentState(name: "agent2", action: .drain) else { Issue.record("drain quarantined"); return }
                #expect(quarantined.state == "quarantined")
                #expect(try await store.changeAgentState(name: "nobody", action: .pause) == .notFound)

                // The list: current job, and offline by heartbeat age.
                try await store.client.query("UPDATE agents SET last_heartbeat = now() - interval '1 hour' WHERE name = 'agent1'")
                let list = try await store.agentStatuses(offlineAfterSeconds: 90)
                #expect(list.map(\.name) == ["agent0", "agent1", "agent2"])
                #expect(list.map(\.status) == ["active", "offline", "quarantined"])
                #expect(list.map(\.currentJob) == [a0.jobID, nil, nil])
                // The one job nobody took is still there for an active agent.
                #expect(try await lease(store, farm, agent: 0) != nil)
            }
        }
    }

    @Test func oneLeaseStatementServesManyAgentsInQueueOrder() async throws {
        try await TestDatabase.withFreshDatabase { url in
            try await PostgresStore.with(url, logger: logger, migrate: true) { store in
                let farm = try await seed(store, jobs: 2)
                _ = try await store.changeAgentState(name: "agent2", action: .pause)
                // agent0 asks twice; agent2 is paused; only two jobs exist.
                let ids = [farm.agents[0], farm.agents[1], farm.agents[0], farm.agents[2], "not-a-uuid"]
                let got = try await store.lease(agentIDs: ids, targetSignatures: [farm.signature, farm.signature], leaseSeconds: 30)
                #expect(got.count == ids.count)
                let first = try #require(got[0]), second = try #require(got[1])
                #expect(first.jobID != second.jobID)
                #expect(first.leaseToken != second.leaseToken)
                // The target and spec come back as PostgreSQL's JSON text and decode as queued.
                #expect(try first.assignment().target == StoreFixture(store, hardware: hardware).target)
                #expect(try first.assignment().spec == .quick)
                #expect(got[2] == nil && got[3] == nil && got[4] == nil)
                #expect(try await job(store, farm, first.jobID).agentName == "agent0")
                #expect(try await job(store, farm, second.jobID).agentName == "agent1")
                // Nothing left for anyone; each token is its own attempt's.
                #expect(try await store.lease(agentIDs: [farm.agents[1]], targetSignatures: [farm.signature], leaseSeconds: 30) == [nil])
                #expect(try await store.submitResult(jobID: first.jobID, leaseToken: second.leaseToken, result: result) == false)
                #expect(try await store.submitResult(jobID: first.jobID, leaseToken: first.leaseToken, result: result))
            }
        }
    }

    /// `submitResultsLeasingNext`: one statement accepts each current result and
    /// leases its agent the next job; a stale result, a draining agent (paused by
    /// its success), a paused agent and an agent's second result in the batch get none.
    @Test func oneStatementAcceptsResultsAndLeasesTheirAgentsNextJobs() async throws {
        try await TestDatabase.withFreshDatabase { url in
            try await PostgresStore.with(url, logger: logger, migrate: true) { store in
                let farm = try await seed(store, jobs: 8)
                let more = try await StoreFixture(store, hardware: hardware).enroll(["agent3"])
                let agents = farm.agents + more
                let leased = try await store.lease(agentIDs: agents, targetSignatures: [farm.signature], leaseSeconds: 30)
                let held = try leased.map { try #require($0) }
                guard case .changed = try await store.changeAgentState(name: "agent1", action: .drain) else { Issue.record("drain"); return }
                guard case .changed = try await store.changeAgentState(name: "agent2", action: .pause) else { Issue.record("pause"); return }
                let ok = BenchmarkResult(status: .succeeded, statistics: LatencyStatistics(samplesMs: [1, 2], wallSeconds: 0.003),
                                         samplesMs: [1, 2], environment: RunEnvironment())
                func item(_ i: Int, token: String? = nil) -> (submission: ResultSubmission, agentID: String) {
                    (ResultSubmission(jobID: held[i].jobID, leaseToken: token ?? held[i].leaseToken, result: ok), agents[i])
                }
                // agent3's result is stale; then agent0 twice: a second job of its own, as if it held two.
                let extra = try #require(try await store.lease(agentIDs: [agents[0]], targetSignatures: [farm.signature], leaseSeconds: 30)[0])
                let replies = try await store.submitResultsLeasingNext(
                    [item(0), item(1), item(2), item(3, token: "lease_stale"),
                     (ResultSubmission(jobID: extra.jobID, leaseToken: extra.leaseToken, result: ok), agents[0])],
                    targetSignatures: [farm.signature], leaseSeconds: 30)
                #expect(replies.map(\.accepted) == [true, true, true, false, true])
                let next = try #require(replies[0].next, "agent0 got no next job")
                #expect(replies.dropFirst().allSatisfy { $0.next == nil }, "\(replies.map { $0.next?.jobID ?? "-" })")
                #expect(!held.map(\.jobID).contains(next.jobID) && next.jobID != extra.jobID && next.attempt == 1)
                let assignment = try next.assignment()
                #expect(assignment.target.signature == farm.signature && assignment.leaseSeconds == 30)

                let status = try #require(try await store.benchmarkStatus(id: farm.benchmarkID))
                let byID = Dictionary(uniqueKeysWithValues: status.jobs.map { ($0.jobID, $0) })
                for i in 0..<3 { #expect(byID[held[i].jobID]?.state == "succeeded") }
                #expect(byID[extra.jobID]?.state == "succeeded")
                #expect(byID[held[3].jobID]?.state == "leased" && byID[held[3].jobID]?.agentName == "agent3")
                #expect(byID[next.jobID]?.state == "leased" && byID[next.jobID]?.agentName == "agent0")
                let queued = status.jobs.filter { $0.state == "queued" }.count
                #expect(queued == 2, "8 jobs: 4 + 1 leased before, 1 with the results")
                // The draining agent's success paused it; the paused one stays paused.
                let states = Dictionary(uniqueKeysWithValues: try await store.agentStatuses(offlineAfterSeconds: 90).map { ($0.name, $0.state) })
                #expect(states["agent1"] == "paused" && states["agent2"] == "paused" && states["agent0"] == "active", "\(states)")
                // The next job's token is the current one: its result is accepted.
                #expect(try await store.submitResults([ResultSubmission(jobID: next.jobID, leaseToken: next.leaseToken, result: ok)]) == [true])
            }
        }
    }

    @Test func oneResultStatementAcceptsEachCurrentAttemptOnceAndStoresEveryField() async throws {
        try await TestDatabase.withFreshDatabase { url in
            try await PostgresStore.with(url, logger: logger, migrate: true) { store in
                let farm = try await seed(store, jobs: 3)
                let leased = try await store.lease(agentIDs: farm.agents, targetSignatures: [farm.signature], leaseSeconds: 30)
                let a = try #require(leased[0]), b = try #require(leased[1]), c = try #require(leased[2])
                let rich = BenchmarkResult(
                    status: .succeeded, statistics: LatencyStatistics(samplesMs: [1.25, 2.5, 0.1 + 0.2], wallSeconds: 0.004),
                    samplesMs: [1.25, 2.5, 0.1 + 0.2], environment: RunEnvironment(), scenario: .offline,
                    validity: Validity(reasons: ["cpu busy"]),
                    accuracy: AccuracyReport(maxAbsError: 1e-6, maxRelError: 2e-6, cosineSimilarity: 1, passed: true, referenceSource: "user"),
                    scenarioMetrics: ScenarioMetrics(samplesPerSecond: 812.5, batch: 8))
                let failed = BenchmarkResult.failure("worker crashed with signal 9")
                let accepted = try await store.submitResults([
                    ResultSubmission(jobID: a.jobID, leaseToken: a.leaseToken, result: rich),
                    ResultSubmission(jobID: b.jobID, leaseToken: "lease_stale", result: rich),
                    ResultSubmission(jobID: a.jobID, leaseToken: a.leaseToken, result: rich),
                    ResultSubmission(jobID: c.jobID, leaseToken: c.leaseToken, result: failed),
                ])
                #expect(accepted == [true, false, false, true])
                #expect(try await job(store, farm, a.jobID).state == "succeeded")
                #expect(try await job(store, farm, b.jobID).state == "leased")
                let cj = try await job(store, farm, c.jobID)
                #expect(cj.state == "error" && cj.errorMessage == "worker crashed with signal 9")
                #expect(cj.attempts?.map(\.outcome) == [.error])
                #expect(cj.attempts?.first?.error == "worker crashed with signal 9")

                let rows = try await store.client.query("""
                    SELECT samples_ms, sample_count, p50_ms, valid, invalid_reasons::text, scenario, (accuracy->>'maxRelError')::float8,
                           (scenario_metrics->>'samplesPerSecond')::float8, status
                    FROM results WHERE job_id = \(UUID(uuidString: a.jobID)!)
                    """)
                var n = 0
                for try await (samples, count, p50, valid, reasons, scenario, rel, sps, status) in rows.decode(([Double], Int, Double, Bool, String, String, Double, Double, String).self) {
                    n += 1
                    #expect(samples == [1.25, 2.5, 0.1 + 0.2])  // bit-exact through the jsonb batch
                    #expect(count == 3 && p50 == rich.statistics?.p50)
                    #expect(!valid && reasons == #"["cpu busy"]"#)
                    #expect(scenario == "offline" && rel == 2e-6 && sps == 812.5 && status == "succeeded")
                }
                #expect(n == 1)
                let errors = try await store.client.query("SELECT count(*) FROM results WHERE job_id = \(UUID(uuidString: c.jobID)!) AND status = 'error' AND p50_ms IS NULL AND sample_count = 0")
                for try await e in errors.decode(Int.self) { #expect(e == 1) }
            }
        }
    }

    @Test func anUploadIsStoredAsSentAndAUPlus0000CannotFailTheBatch() async throws {
        try await TestDatabase.withFreshDatabase { url in
            try await PostgresStore.with(url, logger: logger, migrate: true) { store in
                let farm = try await seed(store, jobs: 2)
                let leased = try await store.lease(agentIDs: Array(farm.agents.prefix(2)), targetSignatures: [farm.signature], leaseSeconds: 30)
                let a = try #require(leased[0]), b = try #require(leased[1])
                let samples = [0.1 + 0.2, 1e-7, 123456.789]
                let good = BenchmarkResult(status: .succeeded, statistics: LatencyStatistics(samplesMs: samples, wallSeconds: 0.2),
                                           samplesMs: samples, environment: RunEnvironment())
                // Another client's formatting: pretty-printed, an explicit null.
                var pretty = String(decoding: try RoostJSON.encoder(pretty: true).encode(ResultUpload(leaseToken: a.leaseToken, result: good)), as: UTF8.self)
                pretty = pretty.replacingOccurrences(of: "\n  }\n}", with: ",\n    \"accuracy\" : null\n  }\n}")
                #expect(pretty.contains("null"))
                let odd = BenchmarkResult.failure("bad\u{0}byte \\u0000 stays")
                let accepted = try await store.submitResults([
                    ResultSubmission(jobID: a.jobID, leaseToken: a.leaseToken, result: good, uploadJSON: Data(pretty.utf8)),
                    ResultSubmission(jobID: b.jobID, leaseToken: b.leaseToken, result: odd,
                                     uploadJSON: try RoostJSON.encoder().encode(ResultUpload(leaseToken: b.leaseToken, result: odd))),
                ])
                #expect(accepted == [true, true])
                let rows = try await store.client.query("""
                    SELECT samples_ms, sample_count, statistics::text, accuracy IS NULL FROM results WHERE job_id = \(UUID(uuidString: a.jobID)!)
                    """)
                for try await (stored, count, statistics, noAccuracy) in rows.decode(([Double], Int, String, Bool).self) {
                    #expect(stored == samples && count == 3)
                    #expect(try RoostJSON.decoder().decode(LatencyStatistics.self, from: Data(statistics.utf8)) == good.statistics)
                    #expect(noAccuracy)
                }
                // U+0000 becomes U+FFFD; an escaped backslash followed by "u0000" is text and stays.
                #expect(try await job(store, farm, b.jobID).errorMessage == "bad\u{FFFD}byte \\u0000 stays")
            }
        }
    }

    @Test func aPollIsAHeartbeatWrittenAtMostEveryFewSeconds() async throws {
        try await TestDatabase.withFreshDatabase { url in
            try await PostgresStore.with(url, logger: logger, migrate: true) { store in
                let farm = try await seed(store, jobs: 0)
                try await store.client.query("UPDATE agents SET last_heartbeat = now() - interval '60 seconds'")
                try await store.client.query("UPDATE agents SET last_heartbeat = now() - interval '1 second' WHERE name = 'agent1'")
                // Nothing to lease, for an agent with no matching target too: both still beat.
                #expect(try await store.lease(agentIDs: [farm.agents[0], farm.agents[1]], targetSignatures: [farm.signature], leaseSeconds: 30) == [nil, nil])
                #expect(try await store.lease(agentIDs: [farm.agents[2]], targetSignatures: [], leaseSeconds: 30) == [nil])
                let rows = try await store.client.query("SELECT name, extract(epoch FROM now() - last_heartbeat)::float8 FROM agents ORDER BY name")
                var ages: [String: Double] = [:]
                for try await (name, age) in rows.decode((String, Double).self) { ages[name] = age }
                #expect(ages["agent0"]! < 5 && ages["agent2"]! < 5)
                // agent1's heartbeat was fresh enough: not written again.
                #expect(ages["agent1"]! >= 1)
            }
        }
    }
}
