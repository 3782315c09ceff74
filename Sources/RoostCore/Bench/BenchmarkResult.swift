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
    /// Every try of this job when the agent reran it (nil from agents that never rerun).
    public var tries: RunTries?

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

    /// Tries it took to get this result: 1 for results that carry no tries.
    public var tryCount: Int { max(1, tries?.tries.count ?? 1) }
}

/// VALID, or INVALID with every reason the harness found.
public struct Validity: Codable, Sendable, Equatable {
    public var valid: Bool
    public var reasons: [String]
    /// What kind of rule each failure was (nil in results from older harnesses):
    /// the agent reruns only what the environment caused.
    public var causes: [ValidityCause]?
    public init(reasons: [String], causes: [ValidityCause]? = nil) {
        self.valid = reasons.isEmpty
        self.reasons = reasons
        self.causes = causes
    }
    public var label: String { valid ? "VALID" : "INVALID (\(reasons.joined(separator: "; ")))" }

    /// INVALID for reasons a quieter machine could fix, and for none that it could
    /// not: a wrong answer, or a run too short to judge, stays what it is.
    public var isRerunnable: Bool {
        guard !valid, let causes, !causes.isEmpty else { return false }
        return causes.allSatisfy(\.isEnvironmental)
    }
}

/// The family of a validity rule.
public enum ValidityCause: String, Codable, Sendable, CaseIterable {
    /// Fewer seconds or queries than the profile asks for.
    case length
    /// Intervals too wide, spread too large, drift, outliers that set p99.
    case stability
    case frequency
    case throttling
    /// Other processes on the benchmark's CPUs.
    case outsideLoad = "outside-load"
    case accuracy

    public var isEnvironmental: Bool {
        switch self {
        case .stability, .frequency, .throttling, .outsideLoad: true
        case .length, .accuracy: false
        }
    }
}

/// The tries an agent made for one job: the reported result is
/// `tries[reported - 1]`; the others are kept so nothing is hidden.
public struct RunTries: Codable, Sendable, Equatable {
    /// 1-based number of the try the result reports.
    public var reported: Int
    public var tries: [BenchmarkTry]
    /// Set when every try was INVALID only because outliers set p99, yet all
    /// the tries agree on p50 and p99 within the profile's interval limits: the
    /// tail is a steady property of the target, not a disturbance, and the
    /// reported try is VALID with this sentence saying so.
    public var steadyTail: String?
    public init(reported: Int, tries: [BenchmarkTry], steadyTail: String? = nil) {
        self.reported = reported
        self.tries = tries
        self.steadyTail = steadyTail
    }
}

/// One try's verdict, figures and conditions (its raw samples are not kept).
public struct BenchmarkTry: Codable, Sendable, Equatable {
    public var number: Int
    public var status: BenchmarkResult.Status
    public var validity: Validity?
    public var statistics: LatencyStatistics?
    public var environment: RunEnvironment
    public var errorMessage: String?
    /// Seconds the agent waited before this try.
    public var settleSeconds: Double?
    public init(number: Int, result: BenchmarkResult, settleSeconds: Double? = nil) {
        self.number = number
        status = result.status
        validity = result.validity
        statistics = result.statistics
        environment = result.environment
        errorMessage = result.errorMessage
        self.settleSeconds = settleSeconds
    }
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
