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
    /// An accepted result's `ord`, and the job leased with it (nil: none).
    typealias Row = (ord: Int, lease: LeaseJobsStatement.Row?)

    /// The results, as `AcceptResultsStatement` takes them.
    var batch: [UInt8]
    /// One lease request per result, in `ord` order.
    var lease: LeaseJobsStatement.Inputs

    func makeBindings() throws -> PostgresBindings {
        var b = PostgresBindings(capacity: 7)
        b.append(String(decoding: batch, as: UTF8.self))
        lease.append(to: &b)
        return b
    }

    func decodeRow(_ row: PostgresRow) throws -> Row {
        // The lease columns are all NULL or all set (a LEFT JOIN).
        let cells = row.makeRandomAccess()
        guard cells[1].bytes != nil else { return (try cells[0].decode(Int.self), nil) }
        let lease = try row.decode(LeaseJobsStatement.Row.self)
        return (lease.0, lease)
    }
}
