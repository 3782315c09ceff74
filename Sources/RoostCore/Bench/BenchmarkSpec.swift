/// The measurement rules a job carries to the agent: the same spec yields
/// comparable numbers on every machine, like MLPerf LoadGen's settings.
public struct BenchmarkSpec: Codable, Sendable, Equatable {
    public var scenario: Scenario
    public var profile: BenchmarkProfile
    public var warmupSeconds: Double
    public var warmupIterations: Int
    /// Timed phase runs until both minimums are met (or `maxSeconds` passes).
    public var minSeconds: Double
    public var minIterations: Int
    public var maxSeconds: Double
    /// Hard deadline for the worker process, after which the job is an error.
    public var timeoutSeconds: Double
    /// Samples per query (offline scenario; 1 elsewhere). The model's own batch
    /// dimension is what it was compiled with; this repeats queries back to back.
    public var batch: Int
    /// Target arrival rate for the server scenario.
    public var qps: Double?
    /// Server scenario: search the highest QPS whose p99 stays within `p99BoundMs`.
    public var findMaxQPS: Bool
    public var p99BoundMs: Double?
    /// Seeds inputs, Poisson arrivals and the bootstrap, so reruns are reproducible.
    public var seed: UInt64
    /// Validity thresholds.
    public var maxCV: Double
    public var maxOtherCPUFraction: Double
    public var accuracyRTol: Double
    public var accuracyATol: Double

    public init(scenario: Scenario = .singleStream, profile: BenchmarkProfile = .quick,
                warmupSeconds: Double? = nil, warmupIterations: Int? = nil, minSeconds: Double? = nil, minIterations: Int? = nil,
                maxSeconds: Double? = nil, timeoutSeconds: Double? = nil, batch: Int = 1, qps: Double? = nil,
                findMaxQPS: Bool = false, p99BoundMs: Double? = nil, seed: UInt64 = 42,
                maxCV: Double = 0.25, maxOtherCPUFraction: Double = 0.10, accuracyRTol: Double = 1e-3, accuracyATol: Double = 1e-4) {
        self.scenario = scenario
        self.profile = profile
        self.warmupSeconds = warmupSeconds ?? profile.warmupSeconds
        self.warmupIterations = warmupIterations ?? profile.warmupIterations
        self.minSeconds = minSeconds ?? profile.minSeconds
        self.minIterations = minIterations ?? profile.minQueries
        self.maxSeconds = maxSeconds ?? max(self.minSeconds * 3, self.minSeconds + 30)
        self.timeoutSeconds = timeoutSeconds ?? max(300, self.maxSeconds * 2 + 60)
        self.batch = max(1, batch)
        self.qps = qps
        self.findMaxQPS = findMaxQPS
        self.p99BoundMs = p99BoundMs
        self.seed = seed
        self.maxCV = maxCV
        self.maxOtherCPUFraction = maxOtherCPUFraction
        self.accuracyRTol = accuracyRTol
        self.accuracyATol = accuracyATol
    }

    /// The "quick" profile: enough for demos and CI, not for decisions.
    public static let quick = BenchmarkSpec()

    /// Decodes specs written by older versions (missing fields take defaults).
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let profile = try c.decodeIfPresent(BenchmarkProfile.self, forKey: .profile) ?? .quick
        self.init(
            scenario: try c.decodeIfPresent(Scenario.self, forKey: .scenario) ?? .singleStream, profile: profile,
            warmupSeconds: try c.decodeIfPresent(Double.self, forKey: .warmupSeconds),
            warmupIterations: try c.decodeIfPresent(Int.self, forKey: .warmupIterations),
            minSeconds: try c.decodeIfPresent(Double.self, forKey: .minSeconds),
            minIterations: try c.decodeIfPresent(Int.self, forKey: .minIterations),
            maxSeconds: try c.decodeIfPresent(Double.self, forKey: .maxSeconds),
            timeoutSeconds: try c.decodeIfPresent(Double.self, forKey: .timeoutSeconds),
            batch: try c.decodeIfPresent(Int.self, forKey: .batch) ?? 1,
            qps: try c.decodeIfPresent(Double.self, forKey: .qps),
            findMaxQPS: try c.decodeIfPresent(Bool.self, forKey: .findMaxQPS) ?? false,
            p99BoundMs: try c.decodeIfPresent(Double.self, forKey: .p99BoundMs),
            seed: try c.decodeIfPresent(UInt64.self, forKey: .seed) ?? 42,
            maxCV: try c.decodeIfPresent(Double.self, forKey: .maxCV) ?? 0.25,
            maxOtherCPUFraction: try c.decodeIfPresent(Double.self, forKey: .maxOtherCPUFraction) ?? 0.10,
            accuracyRTol: try c.decodeIfPresent(Double.self, forKey: .accuracyRTol) ?? 1e-3,
            accuracyATol: try c.decodeIfPresent(Double.self, forKey: .accuracyATol) ?? 1e-4)
    }
}

/// How queries are issued (MLPerf's scenarios).
public enum Scenario: String, Codable, Sendable, CaseIterable {
    /// One query at a time; latency percentiles.
    case singleStream = "single-stream"
    /// Back-to-back batches; samples per second.
    case offline
    /// Poisson arrivals at a target QPS; achieved QPS and latency including queueing.
    case server
    /// A fresh process: artifact load, first inference, then steady state.
    case coldStart = "cold-start"
}

/// How long and how many: the minimums that make a number trustworthy.
public enum BenchmarkProfile: String, Codable, Sendable, CaseIterable {
    case quick, standard, rigorous

    public var minSeconds: Double {
        switch self {
        case .quick: 2
        case .standard: 60
        case .rigorous: 600
        }
    }

    public var minQueries: Int {
        switch self {
        case .quick: 200
        case .standard: 1024
        case .rigorous: 24_576
        }
    }

    public var warmupSeconds: Double {
        switch self {
        case .quick: 0.5
        case .standard: 5
        case .rigorous: 30
        }
    }

    public var warmupIterations: Int {
        switch self {
        case .quick: 10
        case .standard: 50
        case .rigorous: 100
        }
    }
}
