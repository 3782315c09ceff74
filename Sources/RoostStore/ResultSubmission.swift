import Foundation
import RoostCore

/// A result an agent uploaded for one attempt, with the lease token that must
/// still be current for it to count.
public struct ResultSubmission: Sendable {
    public var jobID: String
    public var leaseToken: String
    public var result: BenchmarkResult
    /// The upload exactly as it arrived (a `ResultUpload` in JSON that decoded
    /// as `result`), stored as sent instead of encoded again; nil: the store
    /// encodes `result` itself.
    public var uploadJSON: Data?

    public init(jobID: String, leaseToken: String, result: BenchmarkResult, uploadJSON: Data? = nil) {
        self.jobID = jobID
        self.leaseToken = leaseToken
        self.result = result
        self.uploadJSON = uploadJSON
    }
}
