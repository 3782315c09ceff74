import RoostCore

/// A result an agent uploaded for one attempt, with the lease token that must
/// still be current for it to count.
public struct ResultSubmission: Sendable {
    public var jobID: String
    public var leaseToken: String
    public var result: BenchmarkResult

    public init(jobID: String, leaseToken: String, result: BenchmarkResult) {
        self.jobID = jobID
        self.leaseToken = leaseToken
        self.result = result
    }
}
