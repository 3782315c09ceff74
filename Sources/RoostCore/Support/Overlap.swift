import Dispatch

/// Two pieces of work at the same time, returning when both are done: compiling
/// a large model makes whole passes over its bytes that do not depend on each
/// other (hashing the model while parsing it, hashing the artifact while writing
/// it), and on a two-CPU agent each pair then costs the longer one, not the sum.
public enum Overlap {
    public static func run(_ first: () -> Void, _ second: () -> Void) {
        withoutActuallyEscaping(first) { first in
            withoutActuallyEscaping(second) { second in
                let work = Pair(first: first, second: second)
                DispatchQueue.concurrentPerform(iterations: 2) { i in i == 0 ? work.first() : work.second() }
            }
        }
    }

    /// The two closures, handed to the two iterations. Each runs on exactly one
    /// thread and writes only what its caller set aside for it; `run` returns
    /// after both, so nothing they touch is read while they run.
    private struct Pair: @unchecked Sendable {
        let first: () -> Void
        let second: () -> Void
    }
}
