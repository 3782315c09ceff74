import Foundation
import PostgresNIO
import RoostCore

/// Offline bundles: jobs created `exported` for a board without network, and
/// their results imported exactly once.
extension PostgresStore {
    /// The benchmark, the bundle and its jobs (state `exported`: never leased) in one transaction.
    public func createBundle(id: String, benchmarkID: String, model: String, targets: String, spec: BenchmarkSpec, jobs: [NewJob],
                             labels: [String: String], resultKey: String) async throws {
        guard let bundle = UUID(uuidString: id) else { throw RoostError.invalidArgument("bad bundle id") }
        try await insertBenchmark(id: benchmarkID, model: model, targets: targets, spec: spec, jobs: jobs, labels: labels,
                                  bundle: (bundle, resultKey))
    }

    public func bundle(id: String) async throws -> BundleRecord? {
        guard let bid = UUID(uuidString: id) else { return nil }
        let rows = try await client.query("SELECT benchmark_id, result_key FROM bundles WHERE id = \(bid)", logger: logger)
        for try await (benchmark, key) in rows.decode((UUID, String).self) {
            return BundleRecord(id: bid.uuidString.lowercased(), benchmarkID: benchmark.uuidString.lowercased(), resultKey: key)
        }
        return nil
    }

    /// Stores each result of a verified results file whose job is still
    /// `exported` in this bundle, in one transaction: the job takes the board's
    /// attempt and its result goes through the same statement as an online
    /// agent's (`AcceptResultsStatement`), so what is stored is validated and
    /// shaped alike. A job whose result from this very entry (same sha256) is
    /// already stored is `already-imported`; a job of another bundle, an
    /// unknown one, or one already holding another result is refused. Nothing
    /// is written, not even the board's agent row, when nothing is new.
    public func importBundleResults(bundleID: String, board: OfflineBoardAgent, results: [ImportedResult]) async throws -> [BundleImportOutcome] {
        guard let bid = UUID(uuidString: bundleID) else { throw RoostError.notFound("no bundle \(bundleID)") }
        do {
            return try await client.withTransaction(logger: logger) { tx in
                var outcomes: [BundleImportOutcome] = []
                var fresh: [(index: Int, item: ImportedResult)] = []
                for item in results {
                    let outcome = try await importability(of: item, bundle: bid, tx)
                    if outcome == nil { fresh.append((outcomes.count, item)) }
                    outcomes.append(outcome ?? BundleImportOutcome(jobID: item.jobID, outcome: .imported))
                }
                guard !fresh.isEmpty else { return outcomes }
                let agent = try await boardAgent(board, tx)
                var submissions: [ResultSubmission] = []
                for (_, item) in fresh {
                    let token = "import-" + UUID().uuidString.lowercased()
                    try await tx.query("""
                        UPDATE jobs SET state = 'leased', attempt = attempt + 1, lease_token = \(token), agent_id = \(agent),
                            lease_expires_at = now() + interval '1 hour', updated_at = now()
                        WHERE id = \(UUID(uuidString: item.jobID)!) AND state = 'exported' AND bundle_id = \(bid)
                        """, logger: logger)
                    submissions.append(ResultSubmission(jobID: item.jobID, leaseToken: token, result: item.result,
                                                        agentID: agent.uuidString.lowercased()))
                }
                let (bytes, slot) = try Self.resultBatch(submissions)
                var accepted = Set<Int>()
                for try await ord in try await tx.execute(AcceptResultsStatement(batch: bytes), logger: logger) { accepted.insert(slot[ord - 1]) }
                for (n, (index, item)) in fresh.enumerated() {
                    guard accepted.contains(n) else {
                        outcomes[index] = BundleImportOutcome(jobID: item.jobID, outcome: .refused, message: "the result was not accepted")
                        continue
                    }
                    try await tx.query("UPDATE results SET imported_sha256 = \(item.sha256) WHERE job_id = \(UUID(uuidString: item.jobID)!)",
                                       logger: logger)
                }
                return outcomes
            }
        } catch let e as PostgresTransactionError {
            throw e.closureError ?? (e as any Error)
        }
    }

    /// Nil when the job can be imported now; else its outcome (already imported, or refused and why).
    private func importability(of item: ImportedResult, bundle: UUID, _ tx: PostgresConnection) async throws -> BundleImportOutcome? {
        func refused(_ why: String) -> BundleImportOutcome { BundleImportOutcome(jobID: item.jobID, outcome: .refused, message: why) }
        guard let jid = UUID(uuidString: item.jobID) else { return refused("'\(item.jobID)' is not a job id") }
        let rows = try await tx.query("""
            SELECT j.state, j.bundle_id, r.imported_sha256 FROM jobs j LEFT JOIN results r ON r.job_id = j.id
            WHERE j.id = \(jid) FOR UPDATE OF j
            """, logger: logger)
        for try await (state, owner, imported) in rows.decode((String, UUID?, String?).self) {
            guard let owner else { return refused("job \(item.jobID) was queued for online agents, not exported in a bundle") }
            guard owner == bundle else { return refused("job \(item.jobID) belongs to bundle \(owner.uuidString.lowercased()), not this one") }
            if state == "exported" { return nil }
            if imported == item.sha256 { return BundleImportOutcome(jobID: item.jobID, outcome: .alreadyImported, message: "already imported") }
            if imported != nil { return refused("job \(item.jobID) already has a result from another results file; nothing changed") }
            return refused("job \(item.jobID) is \(state); its result is not stored")
        }
        return refused("no job \(item.jobID) on this scheduler")
    }

    /// The board's agent row: created or refreshed when it is an offline board;
    /// an enrolled agent of that name is used only when it is the same machine.
    private func boardAgent(_ board: OfflineBoardAgent, _ tx: PostgresConnection) async throws -> UUID {
        let target = TargetSpec(hardware: board.hardware)
        let tags = json(board.profile?.tags ?? [:]), hardware = json(board.hardware), targetJSON = json(target)
        let profile = board.profile.map { json($0) }
        let rows = try await tx.query("""
            INSERT INTO agents (id, name, credential_hash, state, tags, hardware, target, target_signature, machine_id, price_per_hour, profile, offline_board)
            VALUES (\(UUID()), \(board.name), NULL, 'offline', \(tags)::jsonb, \(hardware)::jsonb, \(targetJSON)::jsonb, \(target.signature),
                    \(board.hardware.machineID), \(board.profile?.pricePerHour), \(profile)::jsonb, true)
            ON CONFLICT (name) DO UPDATE SET tags = EXCLUDED.tags, hardware = EXCLUDED.hardware, target = EXCLUDED.target,
                target_signature = EXCLUDED.target_signature, machine_id = EXCLUDED.machine_id,
                price_per_hour = EXCLUDED.price_per_hour, profile = EXCLUDED.profile
            WHERE agents.offline_board
            RETURNING id
            """, logger: logger)
        for try await id in rows.decode(UUID.self) { return id }
        let existing = try await tx.query("SELECT id, machine_id FROM agents WHERE name = \(board.name)", logger: logger)
        for try await (id, machine) in existing.decode((UUID, String).self) where !machine.isEmpty && machine == board.hardware.machineID {
            return id
        }
        throw RoostError.invalidArgument("agent name '\(board.name)' belongs to an enrolled agent on another machine; run 'run-bundle --name' with another name")
    }
}
