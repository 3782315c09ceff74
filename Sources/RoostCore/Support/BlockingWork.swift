import Foundation

/// CPU-heavy synchronous work (parsing an upload, compiling a model) run from
/// async code on a thread of its own, so it holds none of the cooperative
/// pool's few threads (two on a 2-CPU host) while request handlers, lease
/// long-polls and heartbeats wait for one.
public enum BlockingWork {
    public static func run<T: Sendable>(_ name: String = "roost-blocking", _ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
            let thread = Thread {
                do { continuation.resume(returning: try body()) } catch { continuation.resume(throwing: error) }
            }
            thread.name = name
            thread.stackSize = 8 << 20 // a deep protobuf or plan recursion must not overflow a small default stack
            thread.start()
        }
    }
}
