/// The measurement rules a job carries to the agent. Kept small and explicit so
/// the same spec yields comparable numbers on every machine.
public struct BenchmarkSpec: Codable, Sendable, Equatable {
    public var warmupSeconds: Double
    public var warmupIterations: Int
    /// Timed phase runs until both minimums are met (or `maxSeconds` passes).
    public var minSeconds: Double
    public var minIterations: Int
    public var maxSeconds: Double
    /// Hard deadline for the worker process, after which the job is an error.
    public var timeoutSeconds: Double

    public init(
        warmupSeconds: Double = 0.5, warmupIterations: Int = 10, minSeconds: Double = 2,
        minIterations: Int = 200, maxSeconds: Double = 30, timeoutSeconds: Double = 300
    ) {
        self.warmupSeconds = warmupSeconds
        self.warmupIterations = warmupIterations
        self.minSeconds = minSeconds
        self.minIterations = minIterations
        self.maxSeconds = maxSeconds
        self.timeoutSeconds = timeoutSeconds
    }

    /// The "quick" profile: enough for demos and CI, not for decisions.
    public static let quick = BenchmarkSpec()
}
