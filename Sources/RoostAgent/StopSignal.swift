import Foundation
import RoostCore

/// Asks a running agent to stop (SIGTERM, SIGINT, a test). Not task
/// cancellation on purpose: a stopping agent still has calls to make — handing
/// its job back, flushing its outbox — that cancellation would abort.
public final class StopSignal: Sendable {
    private let stopped = LockedBox(false)

    public init() {}

    public func trigger() { stopped.set(true) }

    public var isStopped: Bool { stopped.get() }

    /// Returns once stopped (or when the calling task is cancelled).
    public func wait() async {
        while !isStopped && !Task.isCancelled {
            try? await Task.sleep(for: .milliseconds(100))
        }
    }

    /// Sleeps `seconds` unless stopped first; true when the full time passed.
    @discardableResult
    public func sleep(seconds: Double) async -> Bool {
        let deadline = ContinuousClock.now + .milliseconds(Int(seconds * 1000))
        while ContinuousClock.now < deadline {
            if isStopped || Task.isCancelled { return false }
            try? await Task.sleep(for: min(.milliseconds(100), deadline - ContinuousClock.now))
        }
        return !isStopped
    }
}
