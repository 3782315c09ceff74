import Foundation
import Testing
import RoostCore

@Suite struct BlockingWorkTests {
    /// Blocking work off the pool: while more pieces than the pool has threads
    /// block, an ordinary task still runs.
    @Test func blockedPiecesLeaveThePoolFree() async throws {
        let blockers = 4 * max(2, ProcessInfo.processInfo.activeProcessorCount)
        let release = LockedBox(false)
        try await withThrowingTaskGroup(of: Int.self) { group in
            for i in 0..<blockers {
                group.addTask {
                    try await BlockingWork.run {
                        let deadline = Date().addingTimeInterval(20)
                        while !release.get() && Date() < deadline { usleep(1000) }
                        return i
                    }
                }
            }
            // Runs on the pool only if no blocker holds its thread.
            let ran = try await withThrowingTaskGroup(of: Bool.self) { inner in
                inner.addTask { true }
                return try await inner.next() ?? false
            }
            #expect(ran)
            release.set(true)
            var sum = 0
            for try await i in group { sum += i }
            #expect(sum == (0..<blockers).reduce(0, +))
        }
    }

    @Test func errorsComeBack() async {
        await #expect(throws: RoostError.self) { try await BlockingWork.run { () throws -> Int in throw RoostError.io("no") } }
    }
}
