import Foundation
import Logging
import Testing
import RoostClient
import RoostCore
import RoostStore
import RoostTestDatabase
import RoostTestSupport

/// A result upload that asks for the agent's next job (`ResultUpload.next`), on
/// a real scheduler process: the job comes back in the same exchange, leased to
/// that agent; nothing is leased with a refused result, to an agent that is not
/// active, or when the queue is empty.
@Suite(.enabled(if: TestDatabase.isAvailable, TestDatabase.skipReason))
struct ResultNextLeaseTests {
    let hardware = HardwareProfile(arch: "x86_64", cpuModel: "Next CPU", isaFeatures: ["avx2", "fma"], logicalCPUs: 2, usableCPUIDs: [0], machineID: "next")
    let ok = BenchmarkResult(status: .succeeded, statistics: LatencyStatistics(samplesMs: [1, 2, 3], wallSeconds: 0.006),
                             samplesMs: [1, 2, 3], environment: RunEnvironment())

    /// Each job's state and lease holder (agent name), by job id.
    func jobs(_ url: DatabaseURL) async throws -> [String: (state: String, agent: String?, attempt: Int)] {
        try await PostgresStore.with(url, logger: Logger(label: "it")) { store in
            var out: [String: (state: String, agent: String?, attempt: Int)] = [:]
            for status in try await store.recentBenchmarks(limit: 10) {
                for job in status.jobs { out[job.jobID] = (job.state, job.agentName, job.attempt) }
            }
            return out
        }
    }

    @Test func aResultCanLeaseTheAgentsNextJobInTheSameExchange() async throws {
        try await TestDatabase.withFreshDatabase { url in
            let farm = try await TestFarm(databaseURL: url.description, prefix: "roost-next")
            defer { farm.stop() }
            let (admin, agent) = try await farm.apiClients(enrolling: "next-agent", hardware: hardware)
            try await PostgresStore.with(url, logger: Logger(label: "it")) { store in
                _ = try await StoreFixture(store, hardware: hardware).queue(jobs: 3, model: "next-model")
            }

            let first = try #require(try await agent.lease(waitSeconds: 0))
            let reply = try await agent.submitResult(jobID: first.jobID, leaseToken: first.leaseToken, result: ok, next: LeaseRequest(waitSeconds: 0))
            #expect(reply.accepted)
            let second = try #require(reply.next, "the result's reply carried no next job")
            #expect(second.jobID != first.jobID && second.attempt == 1 && second.leaseToken != first.leaseToken)
            #expect(second.modelName == "next-model" && second.target.signature == first.target.signature && second.spec == first.spec)
            var states = try await jobs(url)
            #expect(states[first.jobID]?.state == "succeeded")
            #expect(states[second.jobID]?.state == "leased" && states[second.jobID]?.agent == "next-agent")

            // A stale result is refused (409) and leases nothing.
            let stale = try await agent.submitResult(jobID: first.jobID, leaseToken: first.leaseToken, result: ok, next: LeaseRequest(waitSeconds: 0))
            #expect(!stale.accepted && stale.next == nil)
            states = try await jobs(url)
            #expect(states.values.filter { $0.state == "queued" }.count == 1, "a refused result leased a job: \(states)")

            // A paused agent's result is accepted, but it gets no next job.
            _ = try await admin.changeAgentState(name: "next-agent", action: .pause)
            let paused = try await agent.submitResult(jobID: second.jobID, leaseToken: second.leaseToken, result: ok, next: LeaseRequest(waitSeconds: 0))
            #expect(paused.accepted && paused.next == nil)
            _ = try await admin.changeAgentState(name: "next-agent", action: .resume)

            // The last job, then an empty queue: accepted, and no next job.
            let third = try #require(try await agent.lease(waitSeconds: 0))
            let last = try await agent.submitResult(jobID: third.jobID, leaseToken: third.leaseToken, result: ok, next: LeaseRequest(waitSeconds: 0))
            #expect(last.accepted && last.next == nil)
            states = try await jobs(url)
            #expect(states.values.map(\.state).sorted() == ["succeeded", "succeeded", "succeeded"])
            #expect(states.values.allSatisfy { $0.attempt == 1 })
        }
    }
}
