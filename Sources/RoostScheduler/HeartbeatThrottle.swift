import Foundation
import RoostCore

/// Lets a polling agent's liveness be written at most once per `interval`.
/// Every lease request used to update `agents.last_heartbeat` — a write and a
/// commit per poll — although an agent only counts as offline after
/// `AgentState.offlineAfterSeconds` (90 s) without one.
final class HeartbeatThrottle: Sendable {
    private let interval: Duration
    private let last = LockedBox<[String: ContinuousClock.Instant]>([:])

    init(interval: Duration = .seconds(5)) {
        self.interval = interval
    }

    /// True when the caller should write the heartbeat now (and it is then recorded as written).
    func isDue(_ agentID: String) -> Bool {
        let now = ContinuousClock.now
        return last.update { last in
            if let previous = last[agentID], now - previous < interval { return false }
            if last.count >= 100_000 { last.removeAll(keepingCapacity: true) }
            last[agentID] = now
            return true
        }
    }
}
