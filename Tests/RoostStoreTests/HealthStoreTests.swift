import Foundation
import Logging
import PostgresNIO
import Testing
import RoostCore
import RoostTestDatabase
import RoostTestSupport
@testable import RoostStore

/// Agent health against the real test cluster: baselines, when a check is due,
/// `degraded` and back, `quarantined` after consecutive job errors, and an
/// operator's resume clearing both. The slower-and-significant decision itself is
/// `HealthAssessment` (RoostReportTests); these take its outcomes.
@Suite(.enabled(if: TestDatabase.isAvailable, TestDatabase.skipReason))
struct HealthStoreTests {
    let logger = Logger(label: "roost.test")
    let hardware = StoreFixture.testHardware
    let ok = BenchmarkResult(status: .succeeded, statistics: LatencyStatistics(samplesMs: [1, 2, 3], wallSeconds: 0.006),
                             samplesMs: [1, 2, 3], environment: RunEnvironment())
    let baselineSamples: [Double] = (0..<200).map { 1 + Double($0 % 10) * 0.01 }

    /// Two agents on one target and `jobs` queued jobs; returns (agent ids, target signature).
    func seed(_ store: PostgresStore, jobs: Int) async throws -> ([String], String) {
        let fixture = StoreFixture(store, hardware: hardware)
        let agents = try await fixture.enroll(count: 2)
        try await fixture.queue(jobs: jobs)
        return (agents, fixture.target.signature)
    }

    func record(_ store: PostgresStore, _ agent: String, _ outcome: HealthVerdict.Outcome, reason: String = "r") async throws -> String {
        try await store.recordHealthCheck(agentID: agent, benchmark: "golden", outcome: outcome, samplesMs: outcome == .failed ? [] : baselineSamples,
                                          p50Ms: outcome == .failed ? nil : 1.05, ratio: nil, pValue: nil, error: nil, reason: reason)
    }

    func status(_ store: PostgresStore, _ name: String) async throws -> AgentInfo {
        try #require(try await store.agentStatuses(offlineAfterSeconds: 90).first { $0.name == name })
    }

    @Test func baselineThenDegradedAndBackWithChecksDueOnSchedule() async throws {
        try await TestDatabase.withFreshDatabase { url in
            try await PostgresStore.with(url, logger: logger, migrate: true) { store in
                let (agents, signature) = try await seed(store, jobs: 4)
                let a0 = agents[0]
                let schedule = HealthSchedule(intervalSeconds: 3600, everyJobs: 2, degradedRecheckSeconds: 900, quarantineAfterErrors: 3)

                // Enrolled: the first check is due and becomes the baseline.
                #expect(try await store.healthCheckDue(agentID: a0, schedule: schedule) == "first check on this target")
                #expect(try await store.healthBaseline(agentID: a0, benchmark: "golden") == nil)
                #expect(try await record(store, a0, .baseline) == "active")
                #expect(try await store.healthBaseline(agentID: a0, benchmark: "golden") == baselineSamples)
                #expect(try await store.healthCheckDue(agentID: a0, schedule: schedule) == nil)
                let fresh = try await status(store, "agent0")
                #expect(fresh.health == AgentHealth(baselineP50Ms: 1.05, lastP50Ms: 1.05, lastOutcome: "baseline", lastCheckedAt: fresh.health?.lastCheckedAt, checks: 1))

                // Due again after `everyJobs` results.
                for _ in 0..<2 {
                    let job = try #require(try await store.lease(agentID: a0, targetSignatures: [signature], leaseSeconds: 30))
                    #expect(try await store.submitResult(jobID: job.jobID, leaseToken: job.leaseToken, result: ok))
                }
                #expect(try await store.healthCheckDue(agentID: a0, schedule: schedule) == "2 jobs since the last check")

                // Degraded: out of the lease, shown with its reason, rechecked on its own schedule.
                #expect(try await record(store, a0, .degraded, reason: "golden p50 1.300 ms = 1.30× baseline") == "degraded")
                #expect(try await store.lease(agentID: a0, targetSignatures: [signature], leaseSeconds: 30) == nil)
                let degraded = try await status(store, "agent0")
                #expect(degraded.status == "degraded" && degraded.stateReason == "golden p50 1.300 ms = 1.30× baseline")
                #expect(degraded.health?.checks == 2 && degraded.health?.lastOutcome == "degraded")
                #expect(try await store.healthCheckDue(agentID: a0, schedule: schedule) == nil)
                var soon = schedule
                soon.degradedRecheckSeconds = 0
                #expect(try await store.healthCheckDue(agentID: a0, schedule: soon) == "recheck of a degraded agent")
                // The baseline stays the first check's.
                #expect(try await store.healthBaseline(agentID: a0, benchmark: "golden") == baselineSamples)

                // A good check brings it back.
                #expect(try await record(store, a0, .healthy) == "active")
                #expect(try await status(store, "agent0").stateReason == nil)
                #expect(try await store.lease(agentID: a0, targetSignatures: [signature], leaseSeconds: 30) != nil)

                // A failed run degrades; an operator's pause wins over a later verdict; resume clears.
                #expect(try await record(store, a0, .failed, reason: "golden benchmark failed: boom") == "degraded")
                guard case .changed = try await store.changeAgentState(name: "agent0", action: .pause) else { Issue.record("pause"); return }
                #expect(try await record(store, a0, .healthy) == "paused")
                #expect(try await record(store, a0, .degraded) == "paused")
                #expect(try await store.healthCheckDue(agentID: a0, schedule: soon) == nil, "paused agents are not checked")
                guard case .changed(let resumed) = try await store.changeAgentState(name: "agent0", action: .resume) else { Issue.record("resume"); return }
                #expect(resumed.state == "active" && resumed.stateReason == nil)

                // The other agent is untouched throughout.
                #expect(try await status(store, "agent1").health == nil)
                #expect(try await store.healthCheckDue(agentID: agents[1], schedule: schedule) == "first check on this target")
            }
        }
    }

    @Test func consecutiveJobErrorsQuarantineAndResumeStartsTheCountAfresh() async throws {
        try await TestDatabase.withFreshDatabase { url in
            try await PostgresStore.with(url, logger: logger, migrate: true) { store in
                let (agents, signature) = try await seed(store, jobs: 8)
                let a0 = agents[0]
                func run(_ result: BenchmarkResult) async throws -> String? {
                    let job = try #require(try await store.lease(agentID: a0, targetSignatures: [signature], leaseSeconds: 30))
                    #expect(try await store.submitResult(jobID: job.jobID, leaseToken: job.leaseToken, result: result))
                    return try await store.quarantineAfterErrors(agentID: a0, errors: 3)
                }
                // Two errors, a success, two errors: never three in a row.
                #expect(try await run(.failure("crash 1")) == nil)
                #expect(try await run(.failure("crash 2")) == nil)
                #expect(try await run(ok) == nil)
                #expect(try await run(.failure("crash 3")) == nil)
                #expect(try await run(.failure("crash 4")) == nil)
                // The third in a row quarantines, with the last error as the reason.
                #expect(try await run(.failure("crash 5")) == "3 job errors in a row; last: crash 5")
                #expect(try await store.lease(agentID: a0, targetSignatures: [signature], leaseSeconds: 30) == nil)
                let q = try await status(store, "agent0")
                #expect(q.status == "quarantined" && q.stateReason == "3 job errors in a row; last: crash 5")
                #expect(try await store.healthCheckDue(agentID: a0, schedule: HealthSchedule()) == nil, "quarantine waits for an operator")
                // Health verdicts do not lift a quarantine.
                #expect(try await record(store, a0, .healthy) == "quarantined")

                // Resume: active again, and the old errors no longer count.
                guard case .changed(let resumed) = try await store.changeAgentState(name: "agent0", action: .resume) else { Issue.record("resume"); return }
                #expect(resumed.state == "active" && resumed.stateReason == nil)
                #expect(try await run(.failure("crash 6")) == nil)
                #expect(try await status(store, "agent0").status == "active")
            }
        }
    }
}
