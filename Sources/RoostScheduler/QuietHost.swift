import Foundation
import Logging
import RoostCore

/// The scheduler's side of the host lock: its CPU-heavy work (compiles,
/// reference computations) waits until no agent on this host is inside a
/// benchmark, so a farm on one machine does not measure its own scheduler.
/// The wait is bounded because a client is waiting on the request; past it the
/// work runs, is logged, and the agent's result shows the outside load. One
/// request's pieces (a compile per target, then the reference) share one bound
/// (`deadline`): waiting the full bound for each would outlast the client's
/// timeout while an agent's health check holds the lock (seen on a 2-CPU host:
/// 2 × 45 s against the CLI's 75 s).
struct QuietHost: Sendable {
    let lock: HostLock
    let waitSeconds: Double
    let logger: Logger

    /// When a request that starts now must stop waiting.
    func deadline() -> ContinuousClock.Instant { .now + .milliseconds(Int(waitSeconds * 1000)) }

    func run<T: Sendable>(_ what: String, until deadline: ContinuousClock.Instant? = nil,
                          _ body: () async throws -> T) async throws -> T {
        let limit = (deadline ?? self.deadline()) - .now
        let seconds = max(0, Double(limit.components.seconds) + Double(limit.components.attoseconds) * 1e-18)
        // Polls often: agents hand the lock from job to job within milliseconds.
        return try await lock.withLock(waitingAtMost: seconds, pollMilliseconds: 10) { held in
            if !held {
                logger.warning("an agent on this host has benchmarked for longer than the wait; running anyway", metadata: [
                    "work": "\(what)", "waited_s": "\(String(format: "%.1f", seconds))",
                ])
            }
            return try await body()
        }
    }
}
