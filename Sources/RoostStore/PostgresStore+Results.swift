import Foundation
import PostgresNIO
import RoostCore

extension PostgresStore {
    /// Accepts each result only from the attempt holding the current lease
    /// token: a job's transition and its result row commit together or not at
    /// all, and a stale token inserts nothing. One statement and one commit for
    /// the whole batch (`AcceptResultsStatement`); the reply is aligned with
    /// `submissions`. The same job twice in one batch is accepted once. A U+0000
    /// in any text is stored as U+FFFD (jsonb cannot hold it).
    public func submitResults(_ submissions: [ResultSubmission]) async throws -> [Bool] {
        let (bytes, slot) = try Self.resultBatch(submissions)
        var accepted = [Bool](repeating: false, count: submissions.count)
        guard !slot.isEmpty else { return accepted }
        let rows = try await queue.execute(AcceptResultsStatement(batch: bytes), logger: logger)
        for try await ord in rows { accepted[slot[ord - 1]] = true }
        return accepted
    }

    /// The batch for `AcceptResultsStatement` (and `AcceptAndLeaseStatement`):
    /// one JSON array written by hand around each validated, re-encoded upload, U+0000 escapes
    /// rewritten; `slot[ord - 1]` is the index in `submissions` of element
    /// `ord` (a job's second submission is left out).
    static func resultBatch(_ submissions: [ResultSubmission]) throws -> (bytes: [UInt8], slot: [Int]) {
        var batch = JSONText(capacity: submissions.reduce(64) { $0 + ($1.uploadJSON?.count ?? 4096) + 256 })
        batch.raw("[")
        var slot: [Int] = []
        var seen = Set<UUID>()
        for (i, sub) in submissions.enumerated() {
            guard let jid = UUID(uuidString: sub.jobID), seen.insert(jid).inserted else { continue }
            let r = sub.result
            let succeeded = r.status == .succeeded
            if !slot.isEmpty { batch.raw(",") }
            slot.append(i)
            batch.raw("{")
            batch.key("ord", first: true); batch.int(slot.count)
            batch.key("job_id"); batch.string(jid.uuidString.lowercased())
            batch.key("token"); batch.string(sub.leaseToken)
            if let agent = sub.agentID {
                // An agent id that does not parse is the nil UUID, which holds no lease.
                batch.key("agent_id"); batch.string((UUID(uuidString: agent) ?? UUID(uuid: UUID.nilBytes)).uuidString.lowercased())
            }
            batch.key("state"); batch.string(succeeded ? "succeeded" : "error")
            batch.key("outcome"); batch.string((succeeded ? JobAttempt.Outcome.succeeded : .error).rawValue)
            if let error = r.errorMessage { batch.key("error"); batch.string(error) }
            batch.key("engine"); batch.string(r.environment.engine)
            batch.key("scenario"); batch.string((r.scenario ?? .singleStream).rawValue)
            batch.key("valid"); batch.raw(r.isValid ? "true" : "false")
            batch.key("invalid_reasons"); batch.raw("[")
            for (n, reason) in (r.validity?.reasons ?? []).enumerated() {
                if n > 0 { batch.raw(",") }
                batch.string(reason)
            }
            batch.raw("]")
            batch.key("upload")
            if let raw = sub.uploadJSON {
                batch.append(raw)
            } else {
                batch.append(try RoostJSON.encoder().encode(ResultUpload(leaseToken: sub.leaseToken, result: r)))
            }
            batch.raw("}")
        }
        batch.raw("]")
        var bytes = batch.bytes
        JSONText.replaceNULEscapes(in: &bytes)
        return (bytes, slot)
    }

    /// Succeeded results whose agents ask for their next job: each accepted as
    /// `submitResults` would, and each accepted one's agent leased a job as
    /// `lease(agentIDs:…)` would, in one statement and one commit
    /// (`AcceptAndLeaseStatement`). The reply is aligned with `items`. An agent
    /// listed twice is leased at most one job.
    public func submitResultsLeasingNext(_ items: [(submission: ResultSubmission, agentID: String)], targetSignatures: [String],
                                         leaseSeconds: Double) async throws -> [(accepted: Bool, next: LeasedJob?)] {
        var out = [(accepted: Bool, next: LeasedJob?)](repeating: (false, nil), count: items.count)
        let (bytes, slot) = try Self.resultBatch(items.map { item in
            var submission = item.submission
            submission.agentID = submission.agentID ?? item.agentID
            return submission
        })
        guard !slot.isEmpty else { return out }
        let lease = LeaseJobsStatement.Inputs(agents: slot.map { items[$0].agentID }, targetSignatures: targetSignatures,
                                              leaseSeconds: leaseSeconds, heartbeatSeconds: Self.pollHeartbeatSeconds)
        for try await row in try await queue.execute(AcceptAndLeaseStatement(batch: bytes, lease: lease), logger: logger) {
            let index = slot[row.ord - 1]
            out[index] = (true, row.lease.map(lease.job))
        }
        return out
    }
}

extension UUID {
    /// The nil UUID's bytes: an id no row has.
    static let nilBytes: uuid_t = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
}
