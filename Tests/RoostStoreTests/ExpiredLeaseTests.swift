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
    let hardware = StoreFixture.testHardware

    @Test func expiredLeasesNameTheJobAndTheAgent() async throws {
        try await TestDatabase.withFreshDatabase { url in
            try await PostgresStore.with(url, logger: logger, migrate: true) { store in
                let fixture = StoreFixture(store, hardware: hardware)
                let target = fixture.target
                let agent = try #require(try await fixture.enroll(["reaped"]).first)
                try await fixture.queue(jobs: 1)

                let leased = try #require(try await store.lease(agentID: agent, targetSignatures: [target.signature], leaseSeconds: 0.05))
                try await Task.sleep(for: .milliseconds(150))
                let expired = try await store.expireLeases(backoffSeconds: 0, maxBackoffSeconds: 0)
                #expect(expired == [ExpiredLease(jobID: leased.jobID, agentName: "reaped", attempt: 1, state: "queued")])
                #expect(try await store.requeueExpiredLeases() == 0)
            }
        }
    }
}
