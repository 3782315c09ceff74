/// Why a row may not be recommended. A row collects every reason that
/// applies, so "nothing feasible" can say what excluded each target.
public struct Exclusion: Codable, Sendable, Equatable {
    public enum Kind: String, Codable, Sendable, CaseIterable {
        /// The harness marked the result INVALID.
        case invalid
        /// The agent is `degraded` or `quarantined`.
        case agentState
        /// The job produced no latency statistics.
        case noResult
        /// `--engines` does not list the row's engine.
        case engine
        /// p99 above `--max-p99-ms`.
        case maxP99
        /// Throughput below `--min-throughput`.
        case minThroughput
        /// Peak memory above `--max-memory-mb`.
        case maxMemory
        /// `--max-memory-mb` was given but the row has no peak memory.
        case memoryUnknown
        /// The cost objective needs a price the agent's profile does not give.
        case priceUnknown
        /// The energy objective needs an energy counter the run did not have.
        case energyUnknown
    }

    public var kind: Kind
    /// One sentence for people, naming the value and the limit.
    public var message: String
    /// The row's figure that failed, when there is one.
    public var value: Double?
    /// The limit it failed, when there is one.
    public var limit: Double?

    public init(kind: Kind, message: String, value: Double? = nil, limit: Double? = nil) {
        self.kind = kind
        self.message = message
        self.value = value
        self.limit = limit
    }
}
