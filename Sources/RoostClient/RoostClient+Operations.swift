import Foundation
import RoostCore

/// Calls for keeping the farm running: hand-backs, cancels, agent states.
extension RoostClient {
    /// Hands a leased attempt back to the queue (the agent is stopping). False
    /// when the lease was no longer ours (409) — nothing left to hand back.
    public func releaseJob(jobID: String, leaseToken: String, reason: String) async throws -> Bool {
        let body = try RoostJSON.encoder().encode(JobRelease(leaseToken: leaseToken, reason: reason))
        return try await send("POST", "/v1/jobs/\(jobID)/release", body: body, allow: [409]).status != 409
    }

    public func cancelBenchmark(id: String) async throws -> CancelResponse {
        try decode(CancelResponse.self, try await send("POST", "/v1/benchmarks/\(Self.segment(id))/cancel").body)
    }

    /// Drain, pause or resume an agent by name; returns it as it is afterwards.
    public func changeAgentState(name: String, action: AgentState.Action) async throws -> AgentInfo {
        try decode(AgentInfo.self, try await send("POST", "/v1/agents/\(Self.segment(name))/\(action.rawValue)").body)
    }
}
