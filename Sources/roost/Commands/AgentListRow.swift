import Foundation
import RoostCore

/// One line of `roost agent list`: what an operator scans for.
struct AgentListRow: Codable, Sendable {
    var name: String
    /// `offline` when heartbeats stopped, else the agent's state.
    var state: String
    var lastHeartbeat: Date?
    var currentJob: String?
    var target: String
    var targetSignature: String
    /// Why the agent is `degraded` or `quarantined`.
    var stateReason: String?
    /// Golden-benchmark baseline and last check.
    var health: AgentHealth?

    init(_ agent: AgentInfo) {
        name = agent.name
        state = agent.status ?? agent.state
        lastHeartbeat = agent.lastHeartbeat
        currentJob = agent.currentJob
        target = agent.target.label
        targetSignature = agent.target.signature
        stateReason = agent.stateReason
        health = agent.health
    }

    /// The reason for a health state, else the last check against the baseline.
    var healthText: String {
        if let stateReason { return stateReason }
        guard let h = health, let base = h.baselineP50Ms else { return "-" }
        guard let last = h.lastP50Ms, h.checks > 1 else { return String(format: "baseline p50 %.3f ms", base) }
        return String(format: "p50 %.3f ms (%.2f× baseline)", last, last / base)
    }

    static func table(_ rows: [AgentListRow], now: Date = Date()) -> String {
        guard !rows.isEmpty else { return "no agents enrolled" }
        let header = ["NAME", "STATE", "LAST HEARTBEAT", "CURRENT JOB", "TARGET", "HEALTH"]
        let cells = rows.map { r in
            [r.name, r.state, r.lastHeartbeat.map { age(now.timeIntervalSince($0)) } ?? "never", r.currentJob.map { String($0.prefix(8)) } ?? "-", r.target,
             r.healthText]
        }
        let widths = header.indices.map { i in ([header[i]] + cells.map { $0[i] }).map(\.count).max() ?? 0 }
        return ([header] + cells).map { line in
            line.enumerated().map { i, c in i == line.count - 1 ? c : c.padding(toLength: widths[i], withPad: " ", startingAt: 0) }.joined(separator: "  ")
        }.joined(separator: "\n")
    }

    static func age(_ seconds: Double) -> String {
        let s = max(0, Int(seconds))
        return s < 120 ? "\(s)s ago" : s < 7200 ? "\(s / 60)m ago" : "\(s / 3600)h ago"
    }
}
