import Foundation
import Logging
import RoostCore

/// Runs a step of a job that needs the scheduler (artifact and reference
/// downloads) through a scheduler restart or a network blink: transient
/// failures (`RoostError.isTransient`) are retried with jittered backoff for as
/// long as the surrounding task lives. The heartbeat task beside it ends the
/// attempt — cancelling this — when the lease is really gone, so the retry needs
/// no deadline of its own. Any other error is the job's and is thrown at once.
public struct TransientRetry: Sendable {
    public let what: String
    public let job: String
    public let logger: Logger
    public var initialDelay: Double = 0.5
    public var maximumDelay: Double = 10

    public init(what: String, job: String, logger: Logger) {
        self.what = what
        self.job = job
        self.logger = logger
    }

    public func run<T: Sendable>(_ body: () async throws -> T) async throws -> T {
        var backoff = Backoff(initial: initialDelay, maximum: maximumDelay)
        while true {
            do {
                return try await body()
            } catch let error as RoostError where error.isTransient {
                let delay = backoff.next()
                logger.warning("\(what) failed; retrying", metadata: ["job": "\(job)", "error": "\(error)", "backoff": "\(String(format: "%.1f", delay))"])
                // A cancelled attempt stops here even when the jittered delay rounds to no sleep at all.
                try Task.checkCancellation()
                try await Task.sleep(for: .milliseconds(max(1, Int(delay * 1000))))
            }
        }
    }
}
