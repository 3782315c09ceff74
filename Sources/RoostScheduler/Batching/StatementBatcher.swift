import Synchronization

/// Group commit for the scheduler's hot statements: calls that arrive together
/// with the same key share one database statement (`run` gets every waiting
/// input and answers each, in order).
///
/// There is no timer and no background task. The first call to find no
/// statement running for its key leads: it runs one statement for itself and
/// everyone queued behind it (up to `maxBatch`), hands the lead to the oldest
/// waiter if more arrived meanwhile, and answers its followers. An idle farm
/// pays nothing (a batch of one); a busy one gets batches as large as the
/// arrivals during one statement, so PostgreSQL sees a few statements and
/// commits per second instead of one per agent. Leases use it (each batch skips
/// no one else's locked rows) and so do results (one commit for many). Members
/// are independent: a batch that fails is retried member by member.
///
/// With `maxConcurrent` above 1, that many statements may run for a key at
/// once: a call leads a new one while fewer run and nobody is waiting.
final class StatementBatcher<Key: Hashable & Sendable, Input: Sendable, Output: Sendable>: Sendable {
    typealias Run = @Sendable (_ key: Key, _ inputs: [Input]) async throws -> [Output]
    /// Told the size and duration of every statement (for `/metrics`).
    typealias Observe = @Sendable (_ size: Int, _ duration: Duration) -> Void

    private let run: Run
    private let observe: Observe
    let maxBatch: Int

    private enum Turn: Sendable {
        case answered(Result<Output, any Error>)
        case lead
    }

    private struct Waiter: Sendable {
        let input: Input
        let turn: CheckedContinuation<Turn, Never>
    }

    private struct Line {
        var waiting: [Waiter] = []
        /// Statements running for this key (at most `maxConcurrent`).
        var running = 1

        /// The oldest `count` waiters, removed from the line.
        mutating func take(_ count: Int) -> [Waiter] {
            let taken = Array(waiting.prefix(count))
            waiting.removeFirst(taken.count)
            return taken
        }
    }

    private let lines = Mutex<[Key: Line]>([:])

    let maxConcurrent: Int

    init(maxBatch: Int = 64, maxConcurrent: Int = 1, observe: @escaping Observe = { _, _ in }, run: @escaping Run) {
        self.maxBatch = max(1, maxBatch)
        self.maxConcurrent = max(1, maxConcurrent)
        self.observe = observe
        self.run = run
    }

    /// This input's answer, computed in some batch with others of the same key.
    func submit(_ input: Input, key: Key) async throws -> Output {
        let turn: Turn = await withCheckedContinuation { turn in
            // A key has a line exactly while a statement for it runs. Mutated
            // in place: a copied-out line copied its whole waiting array per call.
            let leads = lines.withLock { lines -> Bool in
                if lines[key] != nil {
                    if lines[key]!.running < maxConcurrent && lines[key]!.waiting.isEmpty {
                        lines[key]!.running += 1
                        return true
                    }
                    lines[key]!.waiting.append(Waiter(input: input, turn: turn))
                    return false
                }
                lines[key] = Line()
                return true
            }
            if leads { turn.resume(returning: .lead) }
        }
        switch turn {
        case .answered(let result): return try result.get()
        case .lead: return try await lead(input, key: key)
        }
    }

    /// Runs one statement for this input and the waiters, then passes the lead on.
    private func lead(_ input: Input, key: Key) async throws -> Output {
        let followers = lines.withLock { lines -> [Waiter] in
            lines[key] == nil ? [] : lines[key]!.take(maxBatch - 1)
        }
        let started = ContinuousClock.now
        let answers = await answers(key, [input] + followers.map(\.input))
        observe(followers.count + 1, ContinuousClock.now - started)
        // Whoever arrived during the statement goes next, led by the oldest waiter.
        let next = lines.withLock { lines -> Waiter? in
            guard lines[key]?.waiting.isEmpty == false else {
                lines[key]!.running -= 1
                if lines[key]!.running == 0 { lines[key] = nil }
                return nil
            }
            return lines[key]!.waiting.removeFirst()
        }
        next?.turn.resume(returning: .lead)
        for (i, follower) in followers.enumerated() {
            follower.turn.resume(returning: .answered(answers[i + 1]))
        }
        return try answers[0].get()
    }

    /// One answer per input. When the batch's statement fails, each input runs
    /// again alone: one bad member fails with its own error (and the route's
    /// own status and log line), and the rest of the batch is answered as if it
    /// had never met it. A failed statement changed nothing, so running its
    /// members again is safe.
    private func answers(_ key: Key, _ inputs: [Input]) async -> [Result<Output, any Error>] {
        do {
            let outputs = try await run(key, inputs)
            guard outputs.count == inputs.count else { throw BatchMismatch(inputs: inputs.count, outputs: outputs.count) }
            return outputs.map { .success($0) }
        } catch {
            guard inputs.count > 1, !(error is CancellationError) else { return inputs.map { _ in .failure(error) } }
            var each: [Result<Output, any Error>] = []
            for input in inputs { each += await answers(key, [input]) }
            return each
        }
    }
}

/// A batch statement answered a different number of inputs than it was given.
struct BatchMismatch: Error, CustomStringConvertible {
    let inputs: Int
    let outputs: Int
    var description: String { "batch statement answered \(outputs) of \(inputs) inputs" }
}
