import Foundation
import PostgresNIO
import RoostCore

/// Succeeded results whose agents ask for their next job, accepted and leased in
/// one statement (see `PostgresStore.submitResultsLeasingNext`): one round trip,
/// one plan and one commit per batch instead of two. The result CTEs are
/// `AcceptResultsStatement`'s and the lease CTEs `LeaseJobsStatement`'s, so the
/// guards are the same — except that only agents whose result was accepted are
/// leased to, and the commit is synchronous (a result is being stored).
///
/// Two sub-statements must not change one row: the `settled` CTE pauses a
/// draining agent, so `beat` leaves draining agents alone (a draining agent is
/// not leased to either: `req` wants `active` in the statement's snapshot).
/// Returns one row per accepted result: its `ord` and, when a job was leased
/// with it, `LeaseJobsStatement.Row`'s columns after the first.
struct AcceptAndLeaseStatement: PostgresPreparedStatement {
    private static let lease = LeaseJobsStatement.Parameters(first: 2)
    static let sql = """
        WITH \(AcceptResultsStatement.resultCTEs),
        \(LeaseJobsStatement.leaseCTEs(lease, requests: "WHERE r.ord IN (SELECT ord FROM claimed)", beating: " AND state <> 'draining'")),
        leased AS (
            \(LeaseJobsStatement.leaseUpdate(lease))
        )
        SELECT c.ord, l.token, l.id, l.benchmark_id, l.attempt, l.name, l.sha256, l.artifact_sha256, l.bytes, l.target, l.spec
        FROM inserted JOIN claimed c ON c.id = inserted.job_id LEFT JOIN leased l ON l.ord = c.ord
        """
    typealias Row = (Int, String?, UUID?, UUID?, Int?, String?, String?, String?, Int?, String?, String?)

    /// The results, as `AcceptResultsStatement` takes them.
    var batch: [UInt8]
    /// Per result, in `ord` order: its agent (the zero UUID for one that must not
    /// be leased to) and the lease token its next job would get.
    var agentIDs: [UUID]
    var tokens: [String]
    var targetSignatures: [String]
    var leaseSeconds: Double
    var heartbeatSeconds: Double

    func makeBindings() throws -> PostgresBindings {
        var b = PostgresBindings(capacity: 7)
        b.append(String(decoding: batch, as: UTF8.self))
        b.append(agentIDs)
        b.append(tokens)
        b.append(targetSignatures)
        b.append(agentIDs.count)
        b.append(leaseSeconds)
        b.append(heartbeatSeconds)
        return b
    }

    func decodeRow(_ row: PostgresRow) throws -> Row { try row.decode(Row.self) }
}
