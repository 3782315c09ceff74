import RoostCore

/// The outcome of an operator's drain, pause or resume.
public enum AgentStateChange: Sendable, Equatable {
    /// Done; the agent as it is now.
    case changed(AgentInfo)
    case notFound
    /// The agent's current state does not allow the action (e.g. resuming a quarantined agent).
    case refused(AgentInfo)
}
