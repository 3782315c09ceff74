import Synchronization
import Testing
@testable import RoostScheduler

/// The group-commit coordinator on its own: who runs which statement, who gets
/// which answer. (Against PostgreSQL: RoostStoreTests and the load benchmark.)
@Suite struct StatementBatcherTests {
    struct Boom: Error, Equatable {}

    @Test func concurrentCallsShareStatementsAndEachGetsItsOwnAnswer() async throws {
        let batches = Mutex<[[Int]]>([])
        let started = Counter()
        let batcher = StatementBatcher<String, Int, Int>(maxBatch: 16) { key, inputs in
            #expect(key == "k")
            let first = batches.withLock { $0.append(inputs); return $0.count == 1 }
            // The first statement runs until every caller is on its way (however
            // starved the test machine), so the rest must queue behind it.
            let deadline = ContinuousClock.now + .seconds(60)
            while first, started.value < 100, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(5)) }
            try await Task.sleep(for: .milliseconds(20))  // a statement takes a while
            return inputs.map { $0 * 10 }
        }
        let answers = try await withThrowingTaskGroup(of: (Int, Int).self) { group in
            for i in 0..<100 {
                group.addTask {
                    started.increment()
                    return (i, try await batcher.submit(i, key: "k"))
                }
            }
            var out: [Int: Int] = [:]
            for try await (i, a) in group { out[i] = a }
            return out
        }
        #expect(answers.count == 100)
        #expect(answers.allSatisfy { $0.value == $0.key * 10 })
        let seen = batches.withLock { $0 }
        // Every input ran exactly once, never more than maxBatch together, and
        // the calls that queued during a statement shared the next one.
        #expect(seen.flatMap { $0 }.sorted() == Array(0..<100))
        #expect(seen.allSatisfy { $0.count <= 16 })
        #expect(seen.count < 50, "\(seen.map(\.count))")
    }

    @Test func atMostMaxConcurrentStatementsRunForAKeyAndEveryCallIsAnswered() async throws {
        let running = Mutex((now: 0, peak: 0))
        let batches = Mutex<[[Int]]>([])
        let batcher = StatementBatcher<String, Int, Int>(maxBatch: 8, maxConcurrent: 2) { _, inputs in
            running.withLock { $0.now += 1; $0.peak = max($0.peak, $0.now) }
            let first = batches.withLock { $0.append(inputs); return $0.count == 1 }
            // The first statement lasts until a second one runs beside it (the
            // second caller finds one running and nobody waiting, so it leads).
            let deadline = ContinuousClock.now + .seconds(60)
            while first, running.withLock({ $0.peak }) < 2, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(5)) }
            try await Task.sleep(for: .milliseconds(20))
            running.withLock { $0.now -= 1 }
            return inputs.map { -$0 }
        }
        let answers = try await withThrowingTaskGroup(of: (Int, Int).self) { group in
            for i in 0..<60 { group.addTask { (i, try await batcher.submit(i, key: "k")) } }
            var out: [Int: Int] = [:]
            for try await (i, a) in group { out[i] = a }
            return out
        }
        #expect(answers.count == 60 && answers.allSatisfy { $0.value == -$0.key })
        #expect(batches.withLock { $0.flatMap { $0 }.sorted() } == Array(0..<60))
        #expect(batches.withLock { $0.allSatisfy { $0.count <= 8 } })
        // Two statements overlapped (60 calls, 20 ms each), and never three.
        #expect(running.withLock { $0.peak } == 2)
        // The line is gone once idle: the next call leads a statement of its own.
        #expect(try await batcher.submit(100, key: "k") == -100)
        #expect(batches.withLock { $0.last } == [100])
    }

    @Test func keysDoNotShareAStatement() async throws {
        let batches = Mutex<[(String, [Int])]>([])
        let batcher = StatementBatcher<String, Int, Int> { key, inputs in
            batches.withLock { $0.append((key, inputs)) }
            try await Task.sleep(for: .milliseconds(5))
            return inputs
        }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for i in 0..<40 { group.addTask { _ = try await batcher.submit(i, key: i.isMultiple(of: 2) ? "even" : "odd") } }
            try await group.waitForAll()
        }
        for (key, inputs) in batches.withLock({ $0 }) {
            #expect(inputs.allSatisfy { $0.isMultiple(of: 2) == (key == "even") })
        }
    }

    @Test func aFailedStatementFailsItsWholeBatchAndTheNextOneRunsAgain() async throws {
        let calls = Mutex(0)
        let batcher = StatementBatcher<Int, Int, Int> { _, inputs in
            let n = calls.withLock { $0 += 1; return $0 }
            if n == 1 { throw Boom() }
            return inputs
        }
        await #expect(throws: Boom.self) { try await batcher.submit(1, key: 0) }
        #expect(try await batcher.submit(2, key: 0) == 2)
    }

    /// Issue 18: one bad member made the whole batch fail (500 for every agent
    /// uploading at that moment). Now the batch is retried member by member.
    @Test func oneBadMemberFailsAloneAndTheRestOfItsBatchIsAnswered() async throws {
        let batches = Mutex<[[Int]]>([])
        let started = Counter()
        let batcher = StatementBatcher<Int, Int, Int>(maxBatch: 64) { _, inputs in
            let first = batches.withLock { $0.append(inputs); return $0.count == 1 }
            // Hold the first statement until every caller queued behind it, so the rest share one batch.
            let deadline = ContinuousClock.now + .seconds(60)
            while first, started.value < 20, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(5)) }
            if inputs.contains(13) { throw Boom() }
            return inputs.map { $0 * 10 }
        }
        let answers = await withTaskGroup(of: (Int, Result<Int, any Error>).self) { group in
            for i in 0..<20 {
                // Input 0 leads the first statement; the rest (13 among them) queue behind it.
                if i == 1 {
                    while batches.withLock({ $0.isEmpty }) { try? await Task.sleep(for: .milliseconds(2)) }
                }
                group.addTask {
                    started.increment()
                    do { return (i, .success(try await batcher.submit(i, key: 0))) } catch { return (i, .failure(error)) }
                }
            }
            var out: [Int: Result<Int, any Error>] = [:]
            for await (i, a) in group { out[i] = a }
            return out
        }
        #expect(answers.count == 20)
        for (i, answer) in answers {
            switch answer {
            case .success(let v): #expect(i != 13 && v == i * 10)
            case .failure(let e): #expect(i == 13 && e is Boom, "input \(i) failed with \(e)")
            }
        }
        // The poisoned batch really was shared (else this test proves nothing).
        #expect(batches.withLock { $0 }.contains { $0.count > 1 && $0.contains(13) })
    }

    @Test func aStatementThatAnswersTheWrongCountIsAnErrorNotAMixUp() async throws {
        let batcher = StatementBatcher<Int, Int, Int> { _, _ in [] }
        await #expect(throws: BatchMismatch.self) { try await batcher.submit(1, key: 0) }
    }
}

/// A count shared with child tasks.
final class Counter: Sendable {
    private let count = Mutex(0)
    func increment() { count.withLock { $0 += 1 } }
    var value: Int { count.withLock { $0 } }
}
