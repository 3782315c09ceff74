import Foundation
import Synchronization
import Testing
import RoostCore

@Suite struct OverlapTests {
    /// The two pieces really overlap: the first waits for the second to start.
    /// Called from more tasks than the cooperative pool has threads, as the
    /// scheduler's request handlers compile, the second piece must still get a
    /// thread (on Dispatch's pool it waited for one that never came, for 75 s).
    @Test func piecesOverlapEvenWhenEveryPoolThreadIsInside() async throws {
        let tasks = 4 * max(2, ProcessInfo.processInfo.activeProcessorCount)
        let overlapped = try await withThrowingTaskGroup(of: Bool.self) { group in
            for _ in 0..<tasks {
                group.addTask {
                    let secondStarted = Atomic<Bool>(false)
                    var sawSecond = false
                    Overlap.run({
                        let deadline = Date().addingTimeInterval(10)
                        while !secondStarted.load(ordering: .acquiring) && Date() < deadline { usleep(200) }
                        sawSecond = secondStarted.load(ordering: .acquiring)
                    }, { secondStarted.store(true, ordering: .releasing) })
                    return sawSecond
                }
            }
            return try await group.reduce(into: [Bool]()) { $0.append($1) }
        }
        #expect(overlapped.count == tasks && overlapped.allSatisfy { $0 })
    }

    @Test func bothPiecesHaveRunWhenItReturns() {
        var a = [Int](repeating: 0, count: 1000), b = a
        a.withUnsafeMutableBufferPointer { pa in
            b.withUnsafeMutableBufferPointer { pb in
                Overlap.run({ for i in pa.indices { pa[i] = i } }, { for i in pb.indices { pb[i] = 2 * i } })
            }
        }
        #expect(a == Array(0..<1000) && b == (0..<1000).map { 2 * $0 })
    }
}
