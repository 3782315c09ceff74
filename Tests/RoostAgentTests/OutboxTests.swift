import Foundation
import Logging
import Testing
import RoostClient
import RoostCore
@testable import RoostAgent

/// The agent's outbox and backoff, on their own (delivery against a live
/// scheduler is in IntegrationTests/FarmReliabilityTests).
@Suite struct OutboxTests {
    func outbox() throws -> ResultOutbox {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("roost-outbox-\(UUID())")
        return ResultOutbox(directory: dir)
    }

    @Test func entriesSurviveOnDiskUntilRemovedAndDamagedOnesAreSetAside() throws {
        let box = try outbox()
        defer { try? FileManager.default.removeItem(at: box.directory) }
        #expect(box.pending().isEmpty)
        let entry = ResultOutbox.Entry(jobID: "j1", attempt: 2, leaseToken: "lease_x", result: .failure("boom"))
        let file = try box.save(entry)
        #expect(file.lastPathComponent == "j1-2.json")
        // Atomic write: no temporary files left beside it.
        #expect(try FileManager.default.contentsOfDirectory(atPath: box.directory.path) == ["j1-2.json"])
        #expect(box.pending() == [file])
        #expect(try box.load(file) == entry)

        let damaged = box.directory.appendingPathComponent("j2-1.json")
        try Data("{not json".utf8).write(to: damaged)
        #expect(throws: RoostError.self) { try box.load(damaged) }
        box.reject(damaged)
        #expect(box.pending() == [file])
        #expect(FileManager.default.fileExists(atPath: box.rejectedDirectory.appendingPathComponent("j2-1.json").path))
        box.remove(file)
        #expect(box.pending().isEmpty)
    }

    @Test func aNonPersistentFlushKeepsEntriesWhenTheSchedulerIsUnreachable() async throws {
        let box = try outbox()
        defer { try? FileManager.default.removeItem(at: box.directory) }
        try box.save(ResultOutbox.Entry(jobID: "j1", attempt: 1, leaseToken: "t", result: .failure("x")))
        // Port 9 on loopback: nothing listens.
        let client = try RoostClient(scheduler: "http://127.0.0.1:9", credential: "agent_x")
        let delivered = try await ResultDelivery(client: client, outbox: box, logger: Logger(label: "test")).flush(persistent: false, stop: StopSignal())
        #expect(!delivered)
        #expect(box.pending().count == 1)
    }

    @Test func backoffGrowsWithJitterUpToItsCap() {
        var b = Backoff(initial: 1, maximum: 8)
        let delays = (0..<6).map { _ in b.next() }
        for (i, d) in delays.enumerated() {
            let step = min(pow(2, Double(i)), 8)
            #expect(d >= step * 0.5 && d <= step * 1.5, "delay \(i) = \(d)")
        }
        b.reset()
        #expect(b.next() <= 1.5)
    }

    @Test func aStopInterruptsASleep() async {
        let stop = StopSignal()
        // From a thread of its own: the test pool may be busy with CPU-bound suites.
        Thread.detachNewThread { Thread.sleep(forTimeInterval: 0.1); stop.trigger() }
        let start = ContinuousClock.now
        #expect(await stop.sleep(seconds: 600) == false)
        // Far below the 600 s asked for, with room for a starved test pool.
        #expect(ContinuousClock.now - start < .seconds(300))
    }
}
