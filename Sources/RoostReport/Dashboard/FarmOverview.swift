import Foundation
import RoostCore

/// What the scheduler's front page shows: who is in the farm, how deep the
/// queue is, and how recent benchmarks are going. A plain value, so the page
/// can be rendered and tested without a database.
public struct FarmOverview: Codable, Sendable, Equatable {
    public struct Agent: Codable, Sendable, Equatable {
        public var name: String
        public var state: String
        public var lastHeartbeat: Date?
        /// One line ("AMD EPYC 7B13 · x86_64 avx2 · 2 CPUs · 23.4 GiB").
        public var hardware: String
        /// Why it is `degraded` or `quarantined`, or its golden-benchmark standing.
        public var health: String?
        public init(name: String, state: String, lastHeartbeat: Date?, hardware: String, health: String? = nil) {
            self.name = name
            self.state = state
            self.lastHeartbeat = lastHeartbeat
            self.hardware = hardware
            self.health = health
        }
    }

    public struct QueueDepth: Codable, Sendable, Equatable {
        /// A job state: queued, leased, running, succeeded, failed, error, cancelled.
        public var state: String
        public var jobs: Int
        public init(state: String, jobs: Int) {
            self.state = state
            self.jobs = jobs
        }
    }

    public struct RecentBenchmark: Codable, Sendable, Equatable {
        public var benchmarkID: String
        public var modelName: String
        public var createdAt: Date
        public var jobsDone: Int
        public var jobsTotal: Int
        /// queued, running, succeeded, partial (some jobs failed), failed, or empty.
        public var state: String
        public init(benchmarkID: String, modelName: String, createdAt: Date, jobsDone: Int, jobsTotal: Int, state: String) {
            self.benchmarkID = benchmarkID
            self.modelName = modelName
            self.createdAt = createdAt
            self.jobsDone = jobsDone
            self.jobsTotal = jobsTotal
            self.state = state
        }

        /// Summarizes a benchmark's jobs: done means a terminal state, whatever its outcome.
        public init(_ status: BenchmarkStatus) {
            let states = status.jobs.map(\.state)
            let done = states.filter { BenchmarkStatus.terminalStates.contains($0) }.count
            let state: String
            if states.isEmpty {
                state = "empty"
            } else if done == states.count {
                let succeeded = states.filter { $0 == "succeeded" }.count
                state = succeeded == states.count ? "succeeded" : succeeded > 0 ? "partial" : "failed"
            } else {
                state = states.contains { $0 == "leased" || $0 == "running" } || done > 0 ? "running" : "queued"
            }
            self.init(benchmarkID: status.benchmarkID, modelName: status.model.name, createdAt: status.createdAt,
                      jobsDone: done, jobsTotal: states.count, state: state)
        }
    }

    public var generatedAt: Date
    public var agents: [Agent]
    /// Job counts by state, in the order the scheduler moves jobs through.
    public var queue: [QueueDepth]
    /// Newest first.
    public var recentBenchmarks: [RecentBenchmark]

    public init(generatedAt: Date, agents: [Agent], queue: [QueueDepth], recentBenchmarks: [RecentBenchmark]) {
        self.generatedAt = generatedAt
        self.agents = agents
        self.queue = queue
        self.recentBenchmarks = recentBenchmarks
    }

    /// The reason for a health state, else how the last golden benchmark compared with the baseline.
    static func health(of agent: AgentInfo) -> String? {
        if let reason = agent.stateReason { return reason }
        guard let h = agent.health, let base = h.baselineP50Ms else { return nil }
        guard let last = h.lastP50Ms, h.checks > 1 else { return String(format: "baseline p50 %.3f ms", base) }
        return String(format: "p50 %.2f× baseline", last / base)
    }

    /// From the scheduler's own types: agents as listed, job counts by state, benchmark statuses.
    public init(generatedAt: Date = Date(), agents: [AgentInfo], jobsByState: [String: Int], benchmarks: [BenchmarkStatus]) {
        let order = ["queued", "leased", "running", "succeeded", "failed", "error", "cancelled"]
        let known = order.map { QueueDepth(state: $0, jobs: jobsByState[$0] ?? 0) }
        let other = jobsByState.filter { !order.contains($0.key) }.sorted { $0.key < $1.key }.map { QueueDepth(state: $0.key, jobs: $0.value) }
        self.init(
            generatedAt: generatedAt,
            agents: agents.map { Agent(name: $0.name, state: $0.status ?? $0.state, lastHeartbeat: $0.lastHeartbeat, hardware: $0.hardware.summary,
                                       health: Self.health(of: $0)) }
                .sorted { $0.name < $1.name },
            queue: known + other,
            recentBenchmarks: benchmarks.sorted { $0.createdAt > $1.createdAt }.map(RecentBenchmark.init))
    }
}
