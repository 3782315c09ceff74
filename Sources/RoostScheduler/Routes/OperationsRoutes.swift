import Foundation
import Hummingbird
import Logging
import RoostCore
import RoostStore

/// Running the farm day to day: drain, pause and resume agents, cancel
/// benchmarks, revoke an agent's credential. Agent actions need an admin token;
/// a submitter may cancel the benchmarks it queued, an admin any.
struct OperationsRoutes: Sendable {
    let store: any SchedulerStore
    let auth: Authenticator
    let signal: WorkSignal

    func register(on router: Router<BasicRequestContext>) {
        router.post("/v1/agents/{name}/{action}") { request, context -> Response in
            try await auth.requireAdmin(request)
            let name = try context.parameters.decoded("name")
            let raw = try context.parameters.decoded("action")
            if raw == "revoke" { return try await revoke(agent: name, context) }
            guard let action = AgentState.Action(rawValue: raw) else {
                throw APIError.notFound("no agent action '\(raw)'; use \(AgentState.Action.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            switch try await store.changeAgentState(name: name, action: action) {
            case .changed(let agent):
                context.logger.notice("agent state changed", metadata: ["agent": "\(name)", "action": "\(raw)", "state": "\(agent.state)"])
                // A resumed agent may be waiting in a lease long-poll: wake it.
                if action == .resume { await signal.notifyAll() }
                return JSONResponse.make(agent)
            case .notFound:
                throw APIError.notFound("no agent named '\(name)'")
            case .refused(let agent):
                throw APIError.conflict("cannot \(raw) agent '\(name)': it is \(agent.state)")
            }
        }
        router.post("/v1/benchmarks/{id}/cancel") { request, context -> Response in
            let who = try await auth.require(.submitter, request)
            let id = try context.parameters.decoded("id")
            if who.role != .admin {
                guard let owner = try await store.benchmarkOwner(id: id) else { throw APIError.notFound("no benchmark \(id)") }
                guard owner == who.tokenID else { throw APIError.forbidden("a submitter token may cancel only the benchmarks it queued") }
            }
            guard let outcome = try await store.cancelBenchmark(id: id) else { throw APIError.notFound("no benchmark \(id)") }
            context.logger.notice("benchmark cancelled", metadata: [
                "benchmark": "\(id)", "cancelled": "\(outcome.cancelled)", "stopping": "\(outcome.stopping)",
            ])
            return JSONResponse.make(outcome)
        }
    }

    /// Removes the agent's credential. This scheduler forgets its cached
    /// credentials at once; another scheduler's cache lets go within its 5 s
    /// lifetime. A job it holds goes back to the queue when its lease expires.
    private func revoke(agent name: String, _ context: BasicRequestContext) async throws -> Response {
        guard let id = try await store.revokeAgent(name: name) else { throw APIError.notFound("no agent named '\(name)'") }
        auth.agents.forgetAll()
        context.logger.notice("agent credential revoked", metadata: ["agent": "\(name)", "id": "\(id)"])
        guard let info = try await store.agentStatuses(offlineAfterSeconds: AgentState.offlineAfterSeconds).first(where: { $0.name == name }) else {
            throw APIError.notFound("no agent named '\(name)'")
        }
        return JSONResponse.make(info)
    }
}
