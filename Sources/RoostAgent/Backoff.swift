import Foundation

/// Jittered exponential backoff, so agents that lost the scheduler together do
/// not all come back at the same instant.
public struct Backoff: Sendable {
    public let initial: Double
    public let maximum: Double
    private var current: Double

    public init(initial: Double = 0.5, maximum: Double = 30) {
        self.initial = initial
        self.maximum = maximum
        current = initial
    }

    /// The next delay in seconds: the current step times 0.5…1.5; the step doubles.
    public mutating func next() -> Double {
        let delay = current * Double.random(in: 0.5...1.5)
        current = min(current * 2, maximum)
        return delay
    }

    public mutating func reset() { current = initial }
}
