import Foundation
import Hummingbird
import Logging
import RoostCore
import RoostReport
import RoostStore

/// Agent health: the agent asks whether its golden benchmark is due and reports
/// the raw samples; the scheduler compares them with the agent's own baseline
/// (`HealthAssessment`) and moves the agent between `active` and `degraded`.
struct HealthRoutes: Sendable {
    let store: any SchedulerStore
    let auth: Authenticator
    let signal: WorkSignal
    let config: SchedulerConfiguration

    func register(on router: Router<BasicRequestContext>) {
        router.get("/v1/agents/health") { request, _ -> Response in
            let agent = try await auth.requireAgent(request)
            let reason = try await store.healthCheckDue(agentID: agent.agentID, schedule: config.health)
            return JSONResponse.make(HealthCheckPlan(due: reason != nil, reason: reason))
        }
        router.post("/v1/agents/health") { request, context -> Response in
            let agent = try await auth.requireAgent(request)
            let report = try await JSONResponse.decode(HealthReport.self, from: request,
                                                       limit: InputLimits.resultBodyBytes(samples: InputLimits.leastMaxSamples),
                                                       check: .standard.allowing(samples: InputLimits.leastMaxSamples))
            let verdict = try await judge(report, agent: agent)
            context.logger.log(level: verdict.outcome == .degraded || verdict.outcome == .failed ? .warning : .info, "health check",
                               metadata: ["agent": "\(agent.name)", "outcome": "\(verdict.outcome.rawValue)", "state": "\(verdict.state)",
                                          "detail": "\(verdict.message)"])
            // A recovered agent may be waiting in a lease long-poll: wake it.
            if verdict.state == "active" { await signal.notifyAll() }
            return JSONResponse.make(verdict)
        }
    }

    /// Baseline on the first check of a target; afterwards degraded only when
    /// slower beyond the policy's ratio and significant; a run that produced no
    /// samples is `failed`, which degrades the agent until a good check.
    func judge(_ report: HealthReport, agent: AgentInfo) async throws -> HealthVerdict {
        guard !report.benchmark.isEmpty, report.benchmark.count <= 100 else { throw APIError.badRequest("benchmark name must be 1 to 100 characters") }
        guard report.samplesMs.allSatisfy({ $0.isFinite && $0 >= 0 }) else { throw APIError.badRequest("samples must be finite and non-negative") }
        let samples = report.samplesMs
        func record(_ outcome: HealthVerdict.Outcome, p50: Double?, base: Double?, ratio: Double?, p: Double?, _ message: String) async throws -> HealthVerdict {
            let state = try await store.recordHealthCheck(agentID: agent.agentID, benchmark: report.benchmark, outcome: outcome, samplesMs: samples,
                                                          p50Ms: p50, ratio: ratio, pValue: p, error: report.error, reason: message)
            return HealthVerdict(outcome: outcome, p50Ms: p50, baselineP50Ms: base, ratio: ratio, pValue: p, state: state, message: message)
        }
        let p50 = samples.isEmpty ? nil : LatencyStatistics.percentile(samples.sorted(), 50)
        guard report.error == nil, let p50 else {
            return try await record(.failed, p50: nil, base: nil, ratio: nil, p: nil,
                                    "golden benchmark failed: \(String((report.error ?? "no samples").prefix(300)))")
        }
        guard let baseline = try await store.healthBaseline(agentID: agent.agentID, benchmark: report.benchmark),
              let assessment = HealthAssessment.assess(samples: samples, baseline: baseline, policy: config.healthPolicy) else {
            return try await record(.baseline, p50: p50, base: p50, ratio: 1, p: nil, String(format: "baseline: golden p50 %.3f ms", p50))
        }
        return try await record(assessment.isDegraded ? .degraded : .healthy, p50: p50, base: assessment.baselineP50Ms,
                                ratio: assessment.ratio, p: assessment.test?.pValue, assessment.summary)
    }
}
