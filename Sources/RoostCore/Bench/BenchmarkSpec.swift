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
    /// Information only since results are judged on robust figures (kept so
    /// stored specs and older agents still decode): a few preemption spikes set
    /// the CV of raw latencies, not the figures a report claims.
    public var maxCV: Double
    public var maxOtherCPUFraction: Double
    /// Stability thresholds, relative to the figure (0.05 = ±5 %); defaults per profile.
    /// Half-width of the p50 and p99 95 % intervals.
    public var maxP50Interval: Double
    public var maxP99Interval: Double
    /// (p90 − p10) / p50.
    public var maxDispersion: Double
    /// |median of the last third / median of the first third − 1|.
    public var maxDrift: Double
    /// Reruns of a run the environment made INVALID (load, frequency, instability), each after `rerunSettleSeconds`.
    public var maxReruns: Int
    public var rerunSettleSeconds: Double
    public var accuracyRTol: Double
    public var accuracyATol: Double

    public init(scenario: Scenario = .singleStream, profile: BenchmarkProfile = .quick,
                warmupSeconds: Double? = nil, warmupIterations: Int? = nil, minSeconds: Double? = nil, minIterations: Int? = nil,
                maxSeconds: Double? = nil, timeoutSeconds: Double? = nil, batch: Int = 1, qps: Double? = nil,
                findMaxQPS: Bool = false, p99BoundMs: Double? = nil, seed: UInt64 = 42,
                maxCV: Double = 0.25, maxOtherCPUFraction: Double = 0.10, accuracyRTol: Double = 1e-3, accuracyATol: Double = 1e-4,
                maxP50Interval: Double? = nil, maxP99Interval: Double? = nil, maxDispersion: Double? = nil, maxDrift: Double? = nil,
                maxReruns: Int? = nil, rerunSettleSeconds: Double? = nil) {
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
        self.maxP50Interval = maxP50Interval ?? profile.maxP50Interval
        self.maxP99Interval = maxP99Interval ?? profile.maxP99Interval
        self.maxDispersion = maxDispersion ?? profile.maxDispersion
        self.maxDrift = maxDrift ?? profile.maxDrift
        self.maxReruns = max(0, maxReruns ?? profile.maxReruns)
        self.rerunSettleSeconds = max(0, rerunSettleSeconds ?? profile.rerunSettleSeconds)
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
            accuracyATol: try c.decodeIfPresent(Double.self, forKey: .accuracyATol) ?? 1e-4,
            maxP50Interval: try c.decodeIfPresent(Double.self, forKey: .maxP50Interval),
            maxP99Interval: try c.decodeIfPresent(Double.self, forKey: .maxP99Interval),
            maxDispersion: try c.decodeIfPresent(Double.self, forKey: .maxDispersion),
            maxDrift: try c.decodeIfPresent(Double.self, forKey: .maxDrift),
            maxReruns: try c.decodeIfPresent(Int.self, forKey: .maxReruns),
            rerunSettleSeconds: try c.decodeIfPresent(Double.self, forKey: .rerunSettleSeconds))
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

    /// The p50 95 % interval's half-width may be at most this share of p50:
    /// tighter as the profile promises more.
    public var maxP50Interval: Double {
        switch self {
        case .quick: 0.05
        case .standard: 0.02
        case .rigorous: 0.01
        }
    }

    /// The same for p99, whose interval is wider by nature (few queries lie above it).
    public var maxP99Interval: Double {
        switch self {
        case .quick: 0.25
        case .standard: 0.10
        case .rigorous: 0.05
        }
    }

    /// (p90 − p10) / p50 above this is a run whose queries do not agree on a latency.
    public var maxDispersion: Double {
        switch self {
        case .quick: 0.5
        case .standard: 0.4
        case .rigorous: 0.3
        }
    }

    /// The median may move this much between the first and last third of the run.
    public var maxDrift: Double {
        switch self {
        case .quick: 0.10
        case .standard: 0.05
        case .rigorous: 0.05
        }
    }

    /// How often the agent repeats a run the environment spoiled.
    public var maxReruns: Int { 2 }

    /// Pause before a rerun, so a passing burst of outside load can end.
    public var rerunSettleSeconds: Double {
        switch self {
        case .quick: 1
        case .standard: 5
        case .rigorous: 10
        }
    }
}
