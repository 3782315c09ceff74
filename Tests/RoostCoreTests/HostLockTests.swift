import Foundation
import Testing
@testable import RoostCore

/// The bounded wait the scheduler's compiles use: they wait for a benchmark,
/// but not forever, and say whether they got the lock.
@Suite(.serialized) struct HostLockTests {
    func lock() throws -> (HostLock, URL) {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("roost-lock-\(UUID())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return (HostLock(machineID: "machine-\(UUID())", directory: dir.path), dir)
    }

    @Test func aBoundedWaitGivesUpAndSaysSo() async throws {
        let (lock, dir) = try lock()
        defer { try? FileManager.default.removeItem(at: dir) }
        let holding = LockedBox(false)
        let release = LockedBox(false)
        let holder = Task {
            try await lock.withLock {
                holding.set(true)
                while !release.get() { try await Task.sleep(for: .milliseconds(10)) }
            }
        }
        while !holding.get() { try await Task.sleep(for: .milliseconds(5)) }
        let start = ContinuousClock.now
        let held = try await lock.withLock(waitingAtMost: 0.3, pollMilliseconds: 10) { $0 }
        let waited = ContinuousClock.now - start
        #expect(!held)
        #expect(waited >= .milliseconds(300) && waited < .seconds(5))
        release.set(true)
        try await holder.value
        // Free now: taken at once.
        #expect(try await lock.withLock(waitingAtMost: 0.3) { $0 })
    }

    @Test func aWaiterGetsTheLockWhenTheHolderLetsGo() async throws {
        let (lock, dir) = try lock()
        defer { try? FileManager.default.removeItem(at: dir) }
        let log = LockedBox<[String]>([])
        let holding = LockedBox(false)
        let holder = Task {
            try await lock.withLock {
                holding.set(true)
                try await Task.sleep(for: .milliseconds(200))
                log.update { $0.append("benchmark done") }
            }
        }
        while !holding.get() { try await Task.sleep(for: .milliseconds(5)) }
        let held = try await lock.withLock(waitingAtMost: 30, pollMilliseconds: 10) { held in
            log.update { $0.append("compile") }
            return held
        }
        try await holder.value
        #expect(held)
        #expect(log.get() == ["benchmark done", "compile"])
    }

    /// An agent holds the lock from a job's download to its result's upload:
    /// others wait until `release()`; a second release, or dropping the held
    /// lock without one, never leaves it taken.
    @Test func aHeldLockExcludesOthersUntilReleasedOrDropped() async throws {
        let (lock, dir) = try lock()
        defer { try? FileManager.default.removeItem(at: dir) }
        let held = try await lock.acquire(pollMilliseconds: 10)
        #expect(held.isHeld)
        #expect(try await lock.withLock(waitingAtMost: 0.2, pollMilliseconds: 10) { $0 } == false)
        held.release()
        held.release()
        #expect(!held.isHeld)
        #expect(try await lock.withLock(waitingAtMost: 0.2, pollMilliseconds: 10) { $0 })
        do { _ = try await lock.acquire(pollMilliseconds: 10) } // dropped at once, unreleased
        #expect(try await lock.withLock(waitingAtMost: 0.2, pollMilliseconds: 10) { $0 })
        // A waiter is cancellable and leaves nothing behind.
        let other = try await lock.acquire(pollMilliseconds: 10)
        let waiter = Task { try await lock.acquire(pollMilliseconds: 10) }
        try await Task.sleep(for: .milliseconds(50))
        waiter.cancel()
        await #expect(throws: CancellationError.self) { _ = try await waiter.value }
        other.release()
        #expect(try await lock.withLock(waitingAtMost: 0.2, pollMilliseconds: 10) { $0 })
    }
}
