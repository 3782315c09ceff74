import Foundation

/// `POST /v1/jobs/{id}/release`: the agent hands its attempt back (it is shutting
/// down); the job is queued again without the attempt counting as a failure.
public struct JobRelease: Codable, Sendable {
    public var leaseToken: String
    public var reason: String
    public init(leaseToken: String, reason: String) { self.leaseToken = leaseToken; self.reason = reason }
}
