import Foundation

/// `POST /v1/benchmarks/{id}/cancel`: how many queued jobs were cancelled and
/// how many running attempts will be told to stop at their next heartbeat.
public struct CancelResponse: Codable, Sendable, Equatable {
    public var benchmarkID: String
    public var cancelled: Int
    public var stopping: Int
    public init(benchmarkID: String, cancelled: Int, stopping: Int) {
        self.benchmarkID = benchmarkID; self.cancelled = cancelled; self.stopping = stopping
    }
}
