import CRoostKernels

/// What the steps of one session share: its thread pool and the packing scratch
/// of Roost's GEMM. Steps run one at a time, so one scratch serves them all, and
/// the threads belong to the session — no process-wide BLAS or GCD state decides
/// how many cores a benchmark uses.
public final class ExecutionContext {
    public let threads: Int
    let pool: OpaquePointer?
    let gemmScratch: UnsafeMutablePointer<Float>

    /// More threads than any machine Roost runs on; a damaged artifact asking for
    /// more gets this many.
    public static let maximumThreads = 256

    public init(threads: Int) {
        let threads = min(max(1, threads), Self.maximumThreads)
        pool = threads > 1 ? roost_pool_create(Int32(threads)) : nil
        self.threads = pool.map { Int(roost_pool_threads($0)) } ?? 1
        let floats = roost_gemm_scratch_per_thread() * self.threads
        let raw = UnsafeMutableRawPointer.allocate(byteCount: floats * MemoryLayout<Float>.size, alignment: 64)
        gemmScratch = raw.bindMemory(to: Float.self, capacity: floats)
        gemmScratch.initialize(repeating: 0, count: floats)
    }

    deinit {
        if let pool { roost_pool_destroy(pool) }
        gemmScratch.deallocate()
    }

    /// Runs `body(task, thread)` for every task in `0..<tasks` on the session's
    /// threads and returns when all are done. `thread` is stable per worker.
    func parallel(_ tasks: Int, _ body: (Int, Int) -> Void) {
        guard tasks > 1, let pool else {
            for t in 0..<max(tasks, 0) { body(t, 0) }
            return
        }
        withoutActuallyEscaping(body) { body in
            var box = body
            withUnsafeMutablePointer(to: &box) { context in
                roost_pool_run(pool, Int32(tasks), { context, task, thread in
                    context!.assumingMemoryBound(to: ((Int, Int) -> Void).self).pointee(Int(task), Int(thread))
                }, context)
            }
        }
    }
}
