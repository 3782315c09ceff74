import Foundation

/// What a worker measured for one job attempt; uploaded by the agent as is.
public struct BenchmarkResult: Codable, Sendable, Equatable {
    public enum Status: String, Codable, Sendable { case succeeded, error }

    public var status: Status
    public var statistics: LatencyStatistics?
    /// Raw per-query latencies in ms, in the order they were measured.
    public var samplesMs: [Double]
    public var environment: RunEnvironment
    public var errorMessage: String?
    public var scenario: Scenario?
    public var validity: Validity?
    public var accuracy: AccuracyReport?
    /// Scenario-specific figures (offline samples/s, server achieved QPS, cold start).
    public var scenarioMetrics: ScenarioMetrics?

    public init(status: Status, statistics: LatencyStatistics?, samplesMs: [Double], environment: RunEnvironment,
                errorMessage: String? = nil, scenario: Scenario? = nil, validity: Validity? = nil, accuracy: AccuracyReport? = nil,
                scenarioMetrics: ScenarioMetrics? = nil) {
        self.status = status
        self.statistics = statistics
        self.samplesMs = samplesMs
        self.environment = environment
        self.errorMessage = errorMessage
        self.scenario = scenario
        self.validity = validity
        self.accuracy = accuracy
        self.scenarioMetrics = scenarioMetrics
    }

    public static func failure(_ message: String, environment: RunEnvironment = RunEnvironment()) -> BenchmarkResult {
        BenchmarkResult(status: .error, statistics: nil, samplesMs: [], environment: environment, errorMessage: message)
    }

    /// Largest |actual − expected| against the job's reference output, when it carries one.
    public var maxAbsError: Double? { accuracy?.maxAbsError }

    /// Valid unless the harness said otherwise; errors are never valid.
    public var isValid: Bool { status == .succeeded && (validity?.valid ?? true) }
}

/// VALID, or INVALID with every reason the harness found.
public struct Validity: Codable, Sendable, Equatable {
    public var valid: Bool
    public var reasons: [String]
    public init(reasons: [String]) {
        self.valid = reasons.isEmpty
        self.reasons = reasons
    }
    public var label: String { valid ? "VALID" : "INVALID (\(reasons.joined(separator: "; ")))" }
}

/// The engine's outputs against the reference outputs.
public struct AccuracyReport: Codable, Sendable, Equatable {
    public var maxAbsError: Double
    public var maxRelError: Double
    public var cosineSimilarity: Double
    public var passed: Bool
    /// Where the reference came from: `user` (the model's test data) or `scheduler`.
    public var referenceSource: String
    public init(maxAbsError: Double, maxRelError: Double, cosineSimilarity: Double, passed: Bool, referenceSource: String) {
        self.maxAbsError = maxAbsError
        self.maxRelError = maxRelError
        self.cosineSimilarity = cosineSimilarity
        self.passed = passed
        self.referenceSource = referenceSource
    }
}

public struct ScenarioMetrics: Codable, Sendable, Equatable {
    /// Offline: samples per second at the given batch.
    public var samplesPerSecond: Double?
    public var batch: Int?
    /// Server: requested and achieved query rates.
    public var targetQPS: Double?
    public var achievedQPS: Double?
    /// Server with --find-max-qps: the highest rate whose p99 met the bound.
    public var maxQPSWithinBound: Double?
    /// Cold start: artifact load and first inference in a fresh process.
    public var loadMs: Double?
    public var firstInferenceMs: Double?
    public init(samplesPerSecond: Double? = nil, batch: Int? = nil, targetQPS: Double? = nil, achievedQPS: Double? = nil,
                maxQPSWithinBound: Double? = nil, loadMs: Double? = nil, firstInferenceMs: Double? = nil) {
        self.samplesPerSecond = samplesPerSecond
        self.batch = batch
        self.targetQPS = targetQPS
        self.achievedQPS = achievedQPS
        self.maxQPSWithinBound = maxQPSWithinBound
        self.loadMs = loadMs
        self.firstInferenceMs = firstInferenceMs
    }
}
