import Foundation
import Logging
import RoostClient
import RoostCore

/// Uploads the outbox. An entry leaves the outbox when the scheduler accepted it
/// or answered for good: 409 (the attempt is no longer current — a newer attempt
/// or a cancel decided) and 404 (the job is gone) are final too. Unreachable
/// schedulers and server errors are retried with jittered backoff.
public struct ResultDelivery: Sendable {
    public let client: RoostClient
    public let outbox: ResultOutbox
    public let logger: Logger
    public var maximumBackoff: Double = 30

    public init(client: RoostClient, outbox: ResultOutbox, logger: Logger) {
        self.client = client
        self.outbox = outbox
        self.logger = logger
    }

    /// Delivers every waiting entry. Retries until done when `persistent`, else
    /// gives up at the first unreachable scheduler; either way stops when `stop`
    /// fires. Returns true when the outbox is empty. Throws only when the
    /// scheduler no longer knows this agent (401) or its TLS certificate does not
    /// verify: no retry can fix either.
    @discardableResult
    public func flush(persistent: Bool, stop: StopSignal) async throws -> Bool {
        try await flush(persistent: persistent, stop: stop, next: nil).emptied
    }

    /// `flush`, where the upload of job `next.jobID`'s result also asks for the
    /// agent's next job (`ResultUpload.next`): a busy agent makes one request per
    /// job. The leased job comes back with whether the outbox emptied.
    public func flush(persistent: Bool, stop: StopSignal,
                      next: (jobID: String, request: LeaseRequest)?) async throws -> (emptied: Bool, next: JobAssignment?) {
        var leased: JobAssignment?
        for file in outbox.pending() {
            let entry: ResultOutbox.Entry
            do { entry = try outbox.load(file) } catch {
                logger.error("damaged outbox entry set aside", metadata: ["file": "\(file.path)", "error": "\(error)"])
                outbox.reject(file)
                continue
            }
            // A retry after a lost reply is refused (409) if the first try was
            // accepted; a job it leased then is lost with the reply and expires.
            let asking = next.flatMap { $0.jobID == entry.jobID ? $0.request : nil }
            var backoff = Backoff(initial: 0.5, maximum: maximumBackoff)
            while true {
                if case .settled(let next) = try await deliver(entry, file: file, next: asking) {
                    leased = leased ?? next
                    break
                }
                let delay = backoff.next()
                guard persistent, !stop.isStopped else { return (false, leased) }
                logger.warning("result kept in the outbox; retrying", metadata: ["job": "\(entry.jobID)", "backoff": "\(String(format: "%.1f", delay))"])
                guard await stop.sleep(seconds: delay) else { return (false, leased) }
            }
        }
        return (outbox.pending().isEmpty, leased)
    }

    /// What one upload did with its outbox entry.
    private enum Delivery {
        /// Still in the outbox: try again later.
        case unsettled
        /// Out of the outbox (accepted, or refused for good), with the next job
        /// when the upload asked for one and got it.
        case settled(next: JobAssignment?)
    }

    private func deliver(_ entry: ResultOutbox.Entry, file: URL, next: LeaseRequest?) async throws -> Delivery {
        let meta: Logger.Metadata = ["job": "\(entry.jobID)", "attempt": "\(entry.attempt)"]
        do {
            let reply = try await client.submitResult(jobID: entry.jobID, leaseToken: entry.leaseToken, result: entry.result, next: next)
            outbox.remove(file)
            if reply.accepted {
                var accepted = meta.merging(["status": "\(entry.result.status)"]) { a, _ in a }
                if let next = reply.next { accepted["next"] = "\(next.jobID)" }
                logger.info("result accepted", metadata: accepted)
            } else {
                logger.warning("result refused: the attempt is no longer current (acknowledged)", metadata: meta)
            }
            return .settled(next: reply.next)
        } catch RoostError.http(let status, let message) where status == 401 {
            throw RoostError.http(status: status, message: message)
        } catch RoostError.tls(let message) {
            // The scheduler's certificate does not verify: the entry stays, the agent stops and says why.
            throw RoostError.tls(message)
        } catch RoostError.http(let status, let message) where status == 404 {
            logger.warning("result dropped: the job no longer exists", metadata: meta.merging(["error": "\(message)"]) { a, _ in a })
            outbox.remove(file)
            return .settled(next: nil)
        } catch RoostError.http(let status, let message) where (400..<500).contains(status) && status != 408 && status != 429 {
            logger.error("result refused as malformed; set aside", metadata: meta.merging(["status": "\(status)", "error": "\(message)"]) { a, _ in a })
            outbox.reject(file)
            return .settled(next: nil)
        } catch {
            logger.warning("result upload failed", metadata: meta.merging(["error": "\(error)"]) { a, _ in a })
            return .unsettled
        }
    }
}
