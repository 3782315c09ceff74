import Foundation
import Logging
import RoostBench
import RoostClient
import RoostCore

/// Runs the golden benchmark when the scheduler says it is due — at the first
/// start, then every few hours or jobs — through the same worker and host lock
/// as a job, and reports the raw samples. The scheduler judges them. Never fatal:
/// a check that cannot run or be reported is tried again at the next ask.
struct HealthCheckRunner: Sendable {
    let client: RoostClient
    let supervisor: WorkerSupervisor
    let lock: HostLock
    let target: TargetSpec
    let directory: URL
    let logger: Logger

    /// Asks whether a check is due and runs it if so.
    func runIfDue(stop: StopSignal) async {
        do {
            let plan = try await client.healthPlan()
            guard plan.due, !stop.isStopped else { return }
            logger.info("health check due", metadata: ["reason": "\(plan.reason ?? "")", "benchmark": "\(GoldenBenchmark.name)"])
            let artifact = try GoldenBenchmark.write(for: target, in: directory)
            let request = WorkerRequest(artifactPath: artifact.path, spec: plan.spec, expectedTargetSignature: target.signature, threads: target.threads)
            let result = try await lock.withLock { await supervisor.run(request, target: target) }
            let report = HealthReport(benchmark: GoldenBenchmark.name, samplesMs: result.status == .succeeded ? result.samplesMs : [],
                                      error: result.status == .succeeded ? nil : (result.errorMessage ?? "the golden benchmark failed"))
            let verdict = try await client.reportHealth(report)
            logger.log(level: verdict.outcome == .degraded || verdict.outcome == .failed ? .warning : .info, "health check reported",
                       metadata: ["outcome": "\(verdict.outcome.rawValue)", "state": "\(verdict.state)", "detail": "\(verdict.message)"])
        } catch {
            logger.warning("health check not done; will ask again", metadata: ["error": "\(error)"])
        }
    }
}
