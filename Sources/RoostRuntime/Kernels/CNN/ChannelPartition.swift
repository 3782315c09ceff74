import Dispatch

/// A fixed split of `count` independent items (the (image, channel) planes of a
/// depthwise conv or pool) over the plan's intra-op threads: worker w takes the
/// contiguous items [w·count/workers, (w+1)·count/workers).
///
/// The split depends only on the plan, and every item is computed by exactly one
/// worker with the same arithmetic as a serial run, so results are bit-identical
/// for every thread count. Small problems stay on the calling thread, where
/// waking workers would cost more than it saves.
struct ChannelPartition: Sendable {
    let count: Int
    let workers: Int

    /// Work (multiply-adds or compares) below which a kernel runs serially.
    static let minimumParallelWork = 1 << 16

    init(count: Int, threads: Int, work: Int) {
        self.count = count
        workers = work < Self.minimumParallelWork ? 1 : Swift.max(1, Swift.min(threads, count))
    }

    /// `outputs · perOutput`, saturating (sizes from a damaged artifact must not trap).
    static func work(_ outputs: Int, _ perOutput: Int) -> Int {
        let (w, overflow) = outputs.multipliedReportingOverflow(by: perOutput)
        return overflow ? .max : w
    }

    /// The items worker `w` handles.
    func items(_ w: Int) -> Range<Int> { (w * count / workers)..<((w + 1) * count / workers) }

    /// Runs `body(worker, items)` for every worker, in parallel when there are several,
    /// and returns when all have finished.
    func run(_ body: (Int, Range<Int>) -> Void) {
        if workers == 1 {
            body(0, 0..<count)
            return
        }
        // `concurrentPerform` wants a Sendable closure; the body captures raw pointers.
        // That is safe here: workers write disjoint planes and their own scratch, and
        // `concurrentPerform` returns only when every worker has finished.
        withoutActuallyEscaping(body) { body in
            let work = UncheckedSendable(body)
            DispatchQueue.concurrentPerform(iterations: workers) { w in work.value(w, items(w)) }
        }
    }
}

/// Carries a value into a `@Sendable` closure whose synchronization the caller guarantees.
private struct UncheckedSendable<T>: @unchecked Sendable {
    let value: T
    init(_ value: T) { self.value = value }
}
