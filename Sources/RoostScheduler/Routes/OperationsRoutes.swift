import Foundation
import Hummingbird
import Logging
import RoostCore
import RoostStore

/// Running the farm day to day: drain, pause and resume agents, cancel
/// benchmarks. Admin only, like the rest of the user-facing API.
struct OperationsRoutes: Sendable {
    let store: any SchedulerStore
    let auth: Authenticator
    let signal: WorkSignal

    func register(on router: Router<BasicRequestContext>) {
        router.post("/v1/agents/{name}/{action}") { request, context -> Response in
            try await auth.requireAdmin(request)
            let name = try context.parameters.decoded("name")
            let raw = try context.parameters.decoded("action")
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
            try await auth.requireAdmin(request)
            let id = try context.parameters.decoded("id")
            guard let outcome = try await store.cancelBenchmark(id: id) else { throw APIError.notFound("no benchmark \(id)") }
            context.logger.notice("benchmark cancelled", metadata: [
                "benchmark": "\(id)", "cancelled": "\(outcome.cancelled)", "stopping": "\(outcome.stopping)",
            ])
            return JSONResponse.make(outcome)
        }
    }
}
