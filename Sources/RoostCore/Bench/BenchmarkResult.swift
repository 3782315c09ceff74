import Foundation

/// What a worker measured for one job attempt; uploaded by the agent as is.
public struct BenchmarkResult: Codable, Sendable, Equatable {
    public enum Status: String, Codable, Sendable { case succeeded, error }

    public var status: Status
    public var statistics: LatencyStatistics?
    /// Raw per-query latencies in ms, in the order they were measured.
    public var samplesMs: [Double]
    public var environment: RunEnvironment
    /// Largest |actual − expected| against the job's reference output, when it carries one.
    public var maxAbsError: Double?
    public var errorMessage: String?

    public init(status: Status, statistics: LatencyStatistics?, samplesMs: [Double], environment: RunEnvironment, maxAbsError: Double? = nil, errorMessage: String? = nil) {
        self.status = status
        self.statistics = statistics
        self.samplesMs = samplesMs
        self.environment = environment
        self.maxAbsError = maxAbsError
        self.errorMessage = errorMessage
    }

    public static func failure(_ message: String, environment: RunEnvironment = RunEnvironment()) -> BenchmarkResult {
        BenchmarkResult(status: .error, statistics: nil, samplesMs: [], environment: environment, errorMessage: message)
    }
}

/// The conditions a number was measured under: without these it is not comparable.
public struct RunEnvironment: Codable, Sendable, Equatable {
    public var engine: String
    public var engineVersion: String
    public var harnessVersion: String
    public var compilerVersion: String?
    /// `openblas_get_corename()` as the worker saw it, after forcing the core type.
    public var blasCore: String?
    public var blasThreads: Int?
    public var cpuAffinity: [Int]
    public var kernel: String?
    public var hostname: String?
    public var artifactLoadMs: Double?
    public var peakRSSBytes: Int?

    public init(engine: String = "native", engineVersion: String = RoostVersion.roost, harnessVersion: String = RoostVersion.harness,
                compilerVersion: String? = nil, blasCore: String? = nil, blasThreads: Int? = nil, cpuAffinity: [Int] = [],
                kernel: String? = nil, hostname: String? = nil, artifactLoadMs: Double? = nil, peakRSSBytes: Int? = nil) {
        self.engine = engine
        self.engineVersion = engineVersion
        self.harnessVersion = harnessVersion
        self.compilerVersion = compilerVersion
        self.blasCore = blasCore
        self.blasThreads = blasThreads
        self.cpuAffinity = cpuAffinity
        self.kernel = kernel
        self.hostname = hostname
        self.artifactLoadMs = artifactLoadMs
        self.peakRSSBytes = peakRSSBytes
    }
}
