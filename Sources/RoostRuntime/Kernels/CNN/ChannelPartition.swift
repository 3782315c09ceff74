/// A fixed split of `count` independent items (the (image, channel) planes of a
/// depthwise conv or pool) over the plan's intra-op threads: worker w takes the
/// contiguous items [w·count/workers, (w+1)·count/workers).
///
/// The split depends only on the plan, and every item is computed by exactly one
/// worker with the same arithmetic as a serial run, so results are bit-identical
/// for every thread count. Small problems stay on the calling thread, where
/// waking workers would cost more than it saves.
struct ChannelPartition {
    let count: Int
    let workers: Int

    /// Work (multiply-adds or compares) below which a kernel runs serially.
    static let minimumParallelWork = 1 << 16

    let context: ExecutionContext

    init(count: Int, context: ExecutionContext, work: Int) {
        self.count = count
        self.context = context
        workers = work < Self.minimumParallelWork ? 1 : Swift.max(1, Swift.min(context.threads, count))
    }

    /// `outputs · perOutput`, saturating (sizes from a damaged artifact must not trap).
    static func work(_ outputs: Int, _ perOutput: Int) -> Int {
        let (w, overflow) = outputs.multipliedReportingOverflow(by: perOutput)
        return overflow ? .max : w
    }

    /// The items worker `w` handles.
    func items(_ w: Int) -> Range<Int> { (w * count / workers)..<((w + 1) * count / workers) }

    /// Runs `body(worker, items)` for every worker on the session's threads and
    /// returns when all have finished. Workers write disjoint planes and their own
    /// scratch (indexed by worker, not by thread).
    func run(_ body: (Int, Range<Int>) -> Void) {
        if workers == 1 {
            body(0, 0..<count)
            return
        }
        context.parallel(workers) { w, _ in body(w, items(w)) }
    }
}
