import Foundation
import Logging
import RoostCore
import Testing
@testable import RoostScheduler

/// A scheduler sharing a host with agents: its compile waits until the agent's
/// benchmark (which holds the host lock) is over.
@Suite(.serialized) struct QuietHostTests {
    @Test func compileWaitsForTheBenchmarkOnThisHost() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("roost-quiet-\(UUID())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let lock = HostLock(machineID: "shared-host", directory: dir.path)
        let quiet = QuietHost(lock: lock, waitSeconds: 30, logger: Logger(label: "test"))
        let events = LockedBox<[String]>([])
        let benchmarking = LockedBox(false)
        let agent = Task {
            try await lock.withLock {
                benchmarking.set(true)
                events.update { $0.append("timed window start") }
                try await Task.sleep(for: .milliseconds(300))
                events.update { $0.append("timed window end") }
            }
        }
        while !benchmarking.get() { try await Task.sleep(for: .milliseconds(5)) }
        let value = try await quiet.run("compile") { () -> Int in
            events.update { $0.append("compile") }
            return 7
        }
        try await agent.value
        #expect(value == 7)
        #expect(events.get() == ["timed window start", "timed window end", "compile"])
    }

    /// A host lock in a fresh directory, held by a stand-in agent until `release` is set.
    static func heldLock(_ id: String) async throws -> (lock: HostLock, release: LockedBox<Bool>, agent: Task<Void, any Error>, dir: URL) {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("roost-quiet-\(UUID())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let lock = HostLock(machineID: id, directory: dir.path)
        let release = LockedBox(false), holding = LockedBox(false)
        let agent = Task {
            try await lock.withLock {
                holding.set(true)
                while !release.get() { try await Task.sleep(for: .milliseconds(10)) }
            }
        }
        while !holding.get() { try await Task.sleep(for: .milliseconds(5)) }
        return (lock, release, agent, dir)
    }

    @Test func aBenchmarkThatOutlastsTheWaitDoesNotBlockTheRequestForever() async throws {
        let (lock, release, agent, dir) = try await Self.heldLock("shared-host-2")
        defer { try? FileManager.default.removeItem(at: dir) }
        let quiet = QuietHost(lock: lock, waitSeconds: 0.2, logger: Logger(label: "test"))
        let ran = try await quiet.run("compile") { true }
        release.set(true)
        try await agent.value
        #expect(ran)
    }

    /// A request's pieces (two compiles and the reference) share one bound: with the
    /// lock held throughout they wait about one bound in all, not one each.
    @Test func aRequestsPiecesShareOneWait() async throws {
        let (lock, release, agent, dir) = try await Self.heldLock("shared-host-3")
        defer { try? FileManager.default.removeItem(at: dir) }
        let quiet = QuietHost(lock: lock, waitSeconds: 0.5, logger: Logger(label: "test"))
        // Each piece alone would wait the whole 0.5 s bound; sharing it, the first waits
        // it out and the later ones find it spent (no sleep at all), so they must take
        // less than the bound — a loose, load-proof check the old code cannot pass.
        let until = quiet.deadline()
        var waits: [Duration] = []
        var ran = 0
        for piece in ["compile 1t", "compile 2t", "reference"] {
            let start = ContinuousClock.now
            ran += try await quiet.run(piece, until: until) { 1 }
            waits.append(ContinuousClock.now - start)
        }
        release.set(true)
        try await agent.value
        #expect(ran == 3)
        #expect(waits[0] >= .milliseconds(500), "the first piece waited \(waits[0])")
        #expect(waits[1] < .milliseconds(500) && waits[2] < .milliseconds(500), "later pieces waited \(waits[1]), \(waits[2])")
    }
}
