import Foundation

/// `bench-scheduler-results.json`: what one run measured, with the conditions
/// that qualify it.
struct LoadReport: Codable, Sendable {
    var agents: Int
    /// Each simulated agent's no-op job time (`--job-ms`); 0 is a closed loop with no think time.
    var jobMs: Double
    var warmupSeconds: Double
    var durationSeconds: Double
    var jobsQueued: Int
    /// Leases answered with a job inside the measurement window.
    var leases: Int
    var leasesPerSecond: Double
    /// Client-side time from sending `POST /v1/jobs/lease` to its response, in ms,
    /// for leases that returned a job (no long-poll wait: the queue never ran dry).
    var leaseLatencyMs: LatencySummary
    /// Client-side time of `POST /v1/jobs/{id}/result`, in ms.
    var resultLatencyMs: LatencySummary
    /// Lease replies without a job (204) in the window: non-zero means the queue ran dry.
    var emptyPolls: Int
    var errors: Int
    var errorSamples: [String]
    /// Server side, from the scheduler's own `/metrics` after the run.
    var server: ServerFigures?
    var goal: Goal
    var machine: Machine

    struct ServerFigures: Codable, Sendable {
        /// `roost_leases_granted_total` over the whole run (warm-up included).
        var leasesGranted: Double
        /// Mean of `roost_lease_query_duration_seconds`, in ms: the lease statement alone.
        var meanLeaseQueryMs: Double
        var leaseQueries: Double
    }

    struct Goal: Codable, Sendable {
        var leasesPerSecond: Double
        var p99Ms: Double
        var met: Bool
    }

    struct Machine: Codable, Sendable {
        var cpus: Int
        var note: String
    }

    var summary: String {
        func f(_ x: Double) -> String { String(format: "%.1f", x) }
        var lines = [
            "scheduler load: \(agents) simulated agents, job time \(f(jobMs)) ms, \(f(durationSeconds)) s measured after \(f(warmupSeconds)) s warm-up",
            "  leases:        \(leases) (\(f(leasesPerSecond))/s)",
            "  lease latency: p50 \(f(leaseLatencyMs.p50)) ms, p90 \(f(leaseLatencyMs.p90)) ms, p99 \(f(leaseLatencyMs.p99)) ms, max \(f(leaseLatencyMs.max)) ms",
            "  result upload: p50 \(f(resultLatencyMs.p50)) ms, p99 \(f(resultLatencyMs.p99)) ms",
            "  empty polls:   \(emptyPolls), errors: \(errors)",
        ]
        if let server {
            lines.append("  server:        \(Int(server.leasesGranted)) leases granted, lease statement mean \(f(server.meanLeaseQueryMs)) ms over \(Int(server.leaseQueries)) runs")
        }
        lines.append("  goal (≥ \(Int(goal.leasesPerSecond))/s, p99 ≤ \(f(goal.p99Ms)) ms): \(goal.met ? "met" : "NOT met")")
        lines.append("  note: \(machine.note)")
        for e in errorSamples { lines.append("  error: \(e)") }
        return lines.joined(separator: "\n")
    }
}
