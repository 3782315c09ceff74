/// The five-number summary (plus tails) of one target's raw latencies: what the
/// distribution chart draws, and small enough to ship in JSON instead of every sample.
public struct LatencyBox: Codable, Sendable, Equatable {
    public var min: Double
    public var p1: Double
    public var q1: Double
    public var median: Double
    public var q3: Double
    public var p99: Double
    public var max: Double

    public init(min: Double, p1: Double, q1: Double, median: Double, q3: Double, p99: Double, max: Double) {
        self.min = min
        self.p1 = p1
        self.q1 = q1
        self.median = median
        self.q3 = q3
        self.p99 = p99
        self.max = max
    }

    /// Nil without finite samples.
    public init?(samples: [Double]) {
        guard let q = Quantiles.of(samples, [0, 1, 25, 50, 75, 99, 100]) else { return nil }
        self.init(min: q[0], p1: q[1], q1: q[2], median: q[3], q3: q[4], p99: q[5], max: q[6])
    }
}
