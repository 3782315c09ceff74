import Foundation

/// One finished attempt of a job, kept in the job's history so a job that ends
/// `failed` still shows why every attempt before it ended.
public struct JobAttempt: Codable, Sendable, Equatable {
    public enum Outcome: String, Codable, Sendable {
        case succeeded, error
        /// No heartbeat within the lease: the agent or its network is presumed dead.
        case leaseExpired = "lease-expired"
        /// Handed back by the agent (shutting down); not counted against the job.
        case released
        case cancelled
    }

    public var attempt: Int
    public var agentName: String?
    public var outcome: Outcome
    public var error: String?
    public var endedAt: Date

    public init(attempt: Int, agentName: String?, outcome: Outcome, error: String?, endedAt: Date) {
        self.attempt = attempt; self.agentName = agentName; self.outcome = outcome; self.error = error; self.endedAt = endedAt
    }
}
