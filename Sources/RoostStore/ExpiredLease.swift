/// One lease the reaper ended: which job, whose attempt, and where the job went
/// (`queued` for a retry after the backoff, `failed` after the last attempt,
/// `cancelled` when a cancel was pending).
public struct ExpiredLease: Sendable, Equatable {
    public var jobID: String
    public var agentName: String?
    public var attempt: Int
    public var state: String

    public init(jobID: String, agentName: String?, attempt: Int, state: String) {
        self.jobID = jobID
        self.agentName = agentName
        self.attempt = attempt
        self.state = state
    }
}
