import Foundation

/// `bench-scheduler-results.json`: what one run measured, with the conditions
/// that qualify it.
struct LoadReport: Codable, Sendable {
    var agents: Int
    var warmupSeconds: Double
    /// Measured seconds of each phase (after its warm-up).
    var durationSeconds: Double
    var jobsQueued: Int
    /// How each job's result travels: "with the next lease" (one request per
    /// job, as the real agent does) or "separate" (`--separate-results`).
    var results: String
    /// The agents together offering `--rate` leases per second on a fixed
    /// schedule: the latency at the goal's rate. nil with `--rate 0`.
    var paced: Phase?
    /// The agents asking again as soon as each result is in (after `--job-ms`):
    /// the most leases per second the whole loop sustains on this machine.
    var closedLoop: Phase
    var goal: Goal
    var machine: Machine

    struct Phase: Codable, Sendable {
        /// Leases per second the agents asked for (paced); nil: closed loop.
        var offeredPerSecond: Double?
        /// Each agent's no-op job time (closed loop); 0: no think time.
        var jobMs: Double
        /// Leases answered with a job inside the measurement window.
        var leases: Int
        var leasesPerSecond: Double
        /// Client-side lease latency in ms for leases that returned a job (the
        /// queue never runs dry). Paced: from the moment the lease was due,
        /// so a lease sent late because its agent was still waiting counts
        /// the wait; closed loop: from sending `POST /v1/jobs/lease`.
        var leaseLatencyMs: LatencySummary
        /// Client-side time of a separate `POST /v1/jobs/{id}/result`, in ms
        /// (empty when results ride with the next lease: that time is the lease's).
        var resultLatencyMs: LatencySummary
        /// Lease replies without a job (204) in the window: non-zero means the queue ran dry.
        var emptyPolls: Int
        var errors: Int
        var errorSamples: [String]
        /// The scheduler's own view of the phase (warm-up included), from `/metrics`.
        var server: ServerFigures?
    }

    /// Differences of the scheduler's counters across one phase.
    struct ServerFigures: Codable, Sendable {
        var leasesGranted: Double
        /// Batch lease statements run, and their mean time in ms.
        var leaseStatements: Double
        var meanLeaseStatementMs: Double
        /// Mean agents served per lease statement.
        var meanLeaseBatch: Double
        /// Mean time from a lease request's arrival to its reply, in ms (leased ones).
        var meanLeaseRequestMs: Double
    }

    /// ≥ `leasesPerSecond` with p99 ≤ `p99Ms`: met when the closed loop
    /// sustains the rate and, offered exactly that rate, the scheduler kept up
    /// (≥ 99 % of it served in the window) with the paced lease p99 within bound.
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
        var lines = ["scheduler load: \(agents) simulated agents, each phase \(f(durationSeconds)) s measured after \(f(warmupSeconds)) s warm-up; results \(results)"]
        func phase(_ title: String, _ p: Phase) {
            lines.append(title)
            lines.append("    leases:        \(p.leases) (\(f(p.leasesPerSecond))/s)")
            lines.append("    lease latency: p50 \(f(p.leaseLatencyMs.p50)) ms, p90 \(f(p.leaseLatencyMs.p90)) ms, p99 \(f(p.leaseLatencyMs.p99)) ms, max \(f(p.leaseLatencyMs.max)) ms")
            if p.resultLatencyMs.count > 0 {
                lines.append("    result upload: p50 \(f(p.resultLatencyMs.p50)) ms, p99 \(f(p.resultLatencyMs.p99)) ms")
            }
            lines.append("    empty polls:   \(p.emptyPolls), errors: \(p.errors)")
            if let s = p.server {
                lines.append("    server:        lease request mean \(f(s.meanLeaseRequestMs)) ms; \(Int(s.leaseStatements)) lease statements, mean \(f(s.meanLeaseStatementMs)) ms, \(f(s.meanLeaseBatch)) agents each")
            }
            for e in p.errorSamples { lines.append("    error: \(e)") }
        }
        if let paced { phase("  paced at \(Int(paced.offeredPerSecond ?? 0)) leases/s (latency from each lease's due time):", paced) }
        phase(closedLoop.jobMs > 0 ? "  closed loop, job time \(f(closedLoop.jobMs)) ms:" : "  closed loop, no think time (throughput; latency ≈ agents ÷ rate):", closedLoop)
        lines.append("  goal (≥ \(Int(goal.leasesPerSecond))/s, p99 ≤ \(f(goal.p99Ms)) ms): \(goal.met ? "met" : "NOT met")")
        lines.append("  note: \(machine.note)")
        return lines.joined(separator: "\n")
    }
}
