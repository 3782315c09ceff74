import Foundation
import RoostCore

/// The agent's health-check calls.
extension RoostClient {
    /// Whether the scheduler wants this agent's golden benchmark run now.
    public func healthPlan() async throws -> HealthCheckPlan {
        try await get("/v1/agents/health", as: HealthCheckPlan.self)
    }

    /// Reports one golden-benchmark run; the reply is the scheduler's verdict.
    public func reportHealth(_ report: HealthReport) async throws -> HealthVerdict {
        try await post("/v1/agents/health", report, as: HealthVerdict.self)
    }
}
