/// What "best" means for a recommendation (`--objective`).
public enum Objective: String, Codable, Sendable, CaseIterable {
    /// Lowest median latency (p50): what one user waiting on one query feels.
    case latency
    /// Most inferences per second (offline samples/s where measured, else queries/s).
    case throughput
    /// Lowest cost per million inferences at the agent's price per hour.
    case cost
    /// Fewest joules per inference, from the machine's energy counters (RAPL,
    /// GPU power); rows without a counter are excluded as "not measured".
    case energy

    /// The figure ranked, as a column heading.
    var metricName: String {
        switch self {
        case .latency: "p50 ms"
        case .throughput: "inferences/s"
        case .cost: "USD per 1M inferences"
        case .energy: "J per inference"
        }
    }
}
