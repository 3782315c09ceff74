import Foundation

/// Where an agent stands. Operators move it between `active`, `draining` and
/// `paused`; the scheduler sets `degraded` (golden benchmark measurably slower
/// than the agent's baseline) and `quarantined` (consecutive job errors); `offline`
/// is never stored as intent — it is shown when heartbeats have stopped.
/// Only `active` agents lease work.
public enum AgentState: String, Codable, Sendable, CaseIterable {
    case active, draining, paused, degraded, quarantined, offline

    /// An agent whose last heartbeat is older than this is shown as offline.
    /// Agents heartbeat at least every 30 s (the lease long-poll) and every few
    /// seconds while a job runs, so three missed polls mean it is gone.
    public static let offlineAfterSeconds: Double = 90

    /// What an operator can ask of an agent.
    public enum Action: String, Codable, Sendable, CaseIterable {
        /// Finish the current job, take no more; becomes `paused` once idle.
        case drain
        /// Take no more jobs (a running one finishes).
        case pause
        /// Take jobs again; clears `degraded` and `quarantined` (the operator fixed the machine).
        case resume
    }

    /// The stored states from which `action` is allowed. Resume is the operator's
    /// word that the machine is fine again, so it also ends `degraded` and `quarantined`.
    public static func sources(of action: Action) -> [AgentState] {
        switch action {
        case .drain: [.active, .degraded, .draining, .paused]
        case .pause: [.active, .degraded, .quarantined, .draining, .paused]
        case .resume: [.paused, .draining, .active, .degraded, .quarantined]
        }
    }
}
