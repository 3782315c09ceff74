import Foundation
import RoostCore

/// The per-model comparison: one row per agent (hardware class), ranked by p50,
/// with the fastest marked. Built from `ReportData`, rendered by the formatters.
public struct ComparisonReport: Codable, Sendable, Equatable {
    public struct Row: Codable, Sendable, Equatable {
        public var agent: String
        public var hardware: String
        public var target: String
        public var engine: String
        public var blasCore: String?
        public var threads: Int
        public var p50Ms: Double
        public var p90Ms: Double
        public var p99Ms: Double
        public var meanMs: Double
        public var throughput: Double
        public var samples: Int
        public var pricePerHour: Double?
        /// USD per million inferences at the measured throughput; nil without a price.
        public var costPerMillion: Double?
        public var fastest: Bool
        /// False when the harness found a reason not to believe the number.
        public var valid: Bool
        public var invalidReasons: [String]
        public var benchmarkID: String
        public var measuredAt: Date
    }

    public var model: ModelInfo
    public var rows: [Row]
    public var generatedAt: Date

    public init(data: ReportData, generatedAt: Date = Date()) {
        model = data.model
        self.generatedAt = generatedAt
        var rows: [Row] = data.rows.compactMap { r in
            guard let s = r.result.statistics else { return nil }
            let price = r.agent.pricePerHour
            return Row(
                agent: r.agent.name, hardware: r.agent.hardware.summary, target: r.target.label,
                engine: r.result.environment.engine, blasCore: r.result.environment.blasCore,
                threads: r.result.environment.blasThreads ?? r.target.threads,
                p50Ms: s.p50, p90Ms: s.p90, p99Ms: s.p99, meanMs: s.mean, throughput: s.throughput, samples: s.count,
                pricePerHour: price, costPerMillion: price.flatMap { Self.costPerMillion(pricePerHour: $0, throughput: s.throughput) },
                fastest: false, valid: r.result.isValid, invalidReasons: r.result.validity?.reasons ?? [],
                benchmarkID: r.benchmarkID, measuredAt: r.finishedAt)
        }
        rows.sort { ($0.p50Ms, $0.agent) < ($1.p50Ms, $1.agent) }
        // An INVALID number never wins while a valid one exists.
        if let best = rows.firstIndex(where: \.valid) ?? rows.indices.first { rows[best].fastest = true }
        self.rows = rows
    }

    /// 1e6 inferences take 1e6 / throughput seconds of a machine billed per hour.
    public static func costPerMillion(pricePerHour: Double, throughput: Double) -> Double? {
        guard throughput > 0 else { return nil }
        return 1e6 / throughput * pricePerHour / 3600
    }

    public var fastest: Row? { rows.first { $0.fastest } }
}
