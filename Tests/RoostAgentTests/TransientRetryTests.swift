import Foundation
import Logging
import Synchronization
import Testing
import RoostClient
import RoostCore
@testable import RoostAgent

/// A job's downloads outlive a scheduler restart (the cause of a job that once
/// ended in `error` with "cannot reach the scheduler" while its lease was fine).
@Suite struct TransientRetryTests {
    func retry() -> TransientRetry {
        var r = TransientRetry(what: "artifact download", job: "j1", logger: Logger(label: "test"))
        r.initialDelay = 0.01
        r.maximumDelay = 0.02
        return r
    }

    @Test func unreachableAndServerErrorsAreRetriedUntilTheStepSucceeds() async throws {
        let calls = Mutex(0)
        let value = try await retry().run { () throws -> String in
            let n = calls.withLock { $0 += 1; return $0 }
            switch n {
            case 1: throw RoostError.unreachable("cannot reach the scheduler: connection refused")
            case 2: throw RoostError.http(status: 503, message: "starting")
            default: return "artifact"
            }
        }
        #expect(value == "artifact")
        #expect(calls.withLock { $0 } == 3)
    }

    @Test func answersAreNotRetried() async throws {
        let calls = Mutex(0)
        await #expect(throws: RoostError.http(status: 404, message: "no such artifact")) {
            try await retry().run { () throws -> Int in
                calls.withLock { $0 += 1 }
                throw RoostError.http(status: 404, message: "no such artifact")
            }
        }
        await #expect(throws: RoostError.self) {
            try await retry().run { () throws -> Int in throw RoostError.invalidArtifact("hash mismatch") }
        }
        #expect(calls.withLock { $0 } == 1)
        #expect(!RoostError.io("disk full").isTransient)
        #expect(RoostError.http(status: 429, message: "").isTransient)
    }

    @Test func cancellingTheAttemptEndsTheRetries() async throws {
        let calls = Mutex(0)
        let task = Task {
            try await retry().run { () throws -> Int in
                calls.withLock { $0 += 1 }
                throw RoostError.unreachable("down")
            }
        }
        // At least two tries before the cancel, however starved the test machine: other
        // suites' synchronous work can hold both cooperative threads for a minute and more
        // (seen in the full in-process run), so the wait is long; it ends at the second try.
        let deadline = ContinuousClock.now + .seconds(600)
        while calls.withLock({ $0 }) < 2, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(10)) }
        task.cancel()
        await #expect(throws: CancellationError.self) { try await task.value }
        let seen = calls.withLock { $0 }
        #expect(seen >= 2)
        try await Task.sleep(for: .milliseconds(100))
        #expect(calls.withLock { $0 } == seen)
    }
}
