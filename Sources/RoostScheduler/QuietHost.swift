import Foundation
import Logging
import RoostCore

/// The scheduler's side of the host lock: its CPU-heavy work (compiles,
/// reference computations) waits until no agent on this host is inside a
/// benchmark, so a farm on one machine does not measure its own scheduler.
/// The wait is bounded because a client is waiting on the request; past it the
/// work runs, is logged, and the agent's result shows the outside load.
struct QuietHost: Sendable {
    let lock: HostLock
    let waitSeconds: Double
    let logger: Logger

    func run<T: Sendable>(_ what: String, _ body: () async throws -> T) async throws -> T {
        // Polls often: agents hand the lock from job to job within milliseconds.
        try await lock.withLock(waitingAtMost: waitSeconds, pollMilliseconds: 10) { held in
            if !held {
                logger.warning("an agent on this host has benchmarked for longer than the wait; running anyway", metadata: [
                    "work": "\(what)", "waited_s": "\(waitSeconds)",
                ])
            }
            return try await body()
        }
    }
}
