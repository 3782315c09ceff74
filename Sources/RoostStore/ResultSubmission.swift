import Foundation
import RoostCore

/// A result an agent uploaded for one attempt, with the lease token that must
/// still be current for it to count.
public struct ResultSubmission: Sendable {
    public var jobID: String
    public var leaseToken: String
    public var result: BenchmarkResult
    /// `ResultUpload(leaseToken:result:)` encoded from the validated `result`
    /// (the scheduler encodes it in the request's own task, off the batch's
    /// path); nil: the store encodes it. Never the raw upload: its text may hold
    /// what decoding did not see (a repeated key, an unknown field).
    public var uploadJSON: Data?
    /// The agent whose credential came with the upload: accepted only if it
    /// holds the lease. Nil only for callers that are not an agent (tests, tools).
    public var agentID: String?

    public init(jobID: String, leaseToken: String, result: BenchmarkResult, uploadJSON: Data? = nil, agentID: String? = nil) {
        self.jobID = jobID
        self.leaseToken = leaseToken
        self.result = result
        self.uploadJSON = uploadJSON
        self.agentID = agentID
    }
}
