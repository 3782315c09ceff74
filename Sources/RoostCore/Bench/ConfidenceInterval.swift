/// A two-sided interval for a statistic, with the level it was computed at.
public struct ConfidenceInterval: Codable, Sendable, Equatable {
    public var low: Double
    public var high: Double
    public var level: Double
    public init(low: Double, high: Double, level: Double = 0.95) {
        self.low = low
        self.high = high
        self.level = level
    }

    public func contains(_ x: Double) -> Bool { low <= x && x <= high }
}
