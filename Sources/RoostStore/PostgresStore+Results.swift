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
        var accepted = [Bool](repeating: false, count: submissions.count)
        guard !slot.isEmpty else { return accepted }
        var bytes = batch.bytes
        JSONText.replaceNULEscapes(in: &bytes)
        let rows = try await client.execute(AcceptResultsStatement(batch: bytes), logger: logger)
        for try await ord in rows { accepted[slot[ord - 1]] = true }
        return accepted
    }
}
