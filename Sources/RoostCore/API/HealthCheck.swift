import Foundation

// The health-check half of `/v1`: the scheduler says when an agent should run
// its golden benchmark; the agent runs it through its normal worker and reports
// the raw samples; the scheduler compares them with the agent's own baseline and
// decides the agent's state.

/// `GET /v1/agents/health`: whether this agent should run its golden benchmark now.
public struct HealthCheckPlan: Codable, Sendable, Equatable {
    public var due: Bool
    /// Why it is due: `first check`, `6 h since the last check`, `50 jobs since the last check`, …
    public var reason: String?
    /// The measurement rules for the golden benchmark (short: a few seconds).
    public var spec: BenchmarkSpec
    public init(due: Bool, reason: String?, spec: BenchmarkSpec = HealthCheckPlan.goldenSpec) { self.due = due; self.reason = reason; self.spec = spec }

    /// The golden benchmark's rules: about 1.5 s, a few thousand samples — enough
    /// for a rank test to see a 10 % shift, short enough to run every few hours.
    /// Fixed, so every check compares with the baseline like for like.
    public static let goldenSpec = BenchmarkSpec(warmupSeconds: 0.3, warmupIterations: 20, minSeconds: 1, minIterations: 300,
                                                 maxSeconds: 3, timeoutSeconds: 60, seed: 7, maxCV: 1)
}

/// `POST /v1/agents/health`: one run of the golden benchmark on the agent.
public struct HealthReport: Codable, Sendable, Equatable {
    /// Which golden benchmark ran (its samples compare only with the same one's).
    public var benchmark: String
    /// Every timed query, in ms; empty when the run failed.
    public var samplesMs: [Double]
    /// Set when the worker did not produce samples.
    public var error: String?
    public init(benchmark: String, samplesMs: [Double], error: String? = nil) {
        self.benchmark = benchmark; self.samplesMs = samplesMs; self.error = error
    }
}

/// The scheduler's reading of a health report, and the agent's state after it.
public struct HealthVerdict: Codable, Sendable, Equatable {
    public enum Outcome: String, Codable, Sendable {
        /// The first check on this target: it becomes the baseline.
        case baseline
        /// Within bounds of the baseline.
        case healthy
        /// Measurably slower than the baseline.
        case degraded
        /// The golden benchmark did not run.
        case failed
    }
    public var outcome: Outcome
    public var p50Ms: Double?
    public var baselineP50Ms: Double?
    /// p50 over the baseline's p50.
    public var ratio: Double?
    /// Mann–Whitney two-sided p-value against the baseline's samples.
    public var pValue: Double?
    /// The agent's state afterwards.
    public var state: String
    public var message: String
    public init(outcome: Outcome, p50Ms: Double?, baselineP50Ms: Double?, ratio: Double?, pValue: Double?, state: String, message: String) {
        self.outcome = outcome; self.p50Ms = p50Ms; self.baselineP50Ms = baselineP50Ms; self.ratio = ratio
        self.pValue = pValue; self.state = state; self.message = message
    }
}

/// What `GET /v1/agents` shows of an agent's health.
public struct AgentHealth: Codable, Sendable, Equatable {
    public var baselineP50Ms: Double?
    public var lastP50Ms: Double?
    public var lastOutcome: String?
    public var lastCheckedAt: Date?
    public var checks: Int
    public init(baselineP50Ms: Double?, lastP50Ms: Double?, lastOutcome: String?, lastCheckedAt: Date?, checks: Int) {
        self.baselineP50Ms = baselineP50Ms; self.lastP50Ms = lastP50Ms; self.lastOutcome = lastOutcome
        self.lastCheckedAt = lastCheckedAt; self.checks = checks
    }
}
