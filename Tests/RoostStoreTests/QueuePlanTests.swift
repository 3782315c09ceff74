import Foundation
import Logging
import PostgresNIO
import Testing
import RoostCore
import RoostTestDatabase
import RoostTestSupport
@testable import RoostStore

/// The queue pool plans its hot statements once (`DatabaseURL.queueConfiguration`).
/// A generic plan knows the tables' statistics but not the parameters, so these
/// tests hold the plans to what makes them safe on a large queue: index walks,
/// no sequential scan of `jobs`, no JIT.
@Suite(.enabled(if: TestDatabase.isAvailable, TestDatabase.skipReason))
struct QueuePlanTests {
    let logger = Logger(label: "roost.test")

    @Test func onlyTheQueuePoolForcesGenericPlansAndNeitherPoolCompiles() async throws {
        try await TestDatabase.withFreshDatabase { url in
            try await PostgresStore.with(url, logger: logger, migrate: true) { store in
                let settings = "SELECT current_setting('plan_cache_mode'), current_setting('jit')"
                for try await (mode, jit) in try await store.queue.query(PostgresQuery(unsafeSQL: settings)).decode((String, String).self) {
                    #expect(mode == "force_generic_plan" && jit == "off")
                }
                for try await (mode, jit) in try await store.client.query(PostgresQuery(unsafeSQL: settings)).decode((String, String).self) {
                    #expect(mode == "auto" && jit == "off")
                }
            }
        }
    }

    @Test func theLeaseIsPlannedOnceOnAQueueConnection() async throws {
        try await TestDatabase.withFreshDatabase { url in
            try await PostgresStore.with(url, logger: logger, migrate: true) { store in
                let fixture = StoreFixture(store, hardware: StoreFixture.testHardware)
                let agents = try await fixture.enroll(count: 3)
                try await fixture.queue(jobs: 6)
                let plans = try await store.queue.withConnection { connection in
                    for agent in agents {
                        let inputs = LeaseJobsStatement.Inputs(agents: [agent], targetSignatures: [fixture.target.signature],
                                                               leaseSeconds: 30, heartbeatSeconds: 5)
                        var leased = 0
                        for try await _ in try await connection.execute(LeaseJobsStatement(inputs: inputs), logger: logger) { leased += 1 }
                        #expect(leased == 1)
                    }
                    let rows = try await connection.query(PostgresQuery(unsafeSQL: """
                        SELECT generic_plans::int, custom_plans::int FROM pg_prepared_statements WHERE name LIKE '%LeaseJobsStatement%'
                        """), logger: logger)
                    var out: [(Int, Int)] = []
                    for try await row in rows.decode((Int, Int).self) { out.append(row) }
                    return out
                }
                #expect(plans.count == 1)
                #expect(plans.first?.0 == 3 && plans.first?.1 == 0, "generic, custom: \(plans)")
            }
        }
    }

    @Test func genericPlansWalkIndexesOnALargeQueue() async throws {
        try await TestDatabase.withFreshDatabase { url in
            try await PostgresStore.with(url, logger: logger, migrate: true) { store in
                let fixture = StoreFixture(store, hardware: StoreFixture.testHardware)
                _ = try await fixture.enroll(count: 3)
                try await fixture.queue(jobs: 1)
                // A farm with history: 40,000 queued jobs and 20,000 finished ones.
                try await store.client.query(PostgresQuery(unsafeSQL: """
                    INSERT INTO jobs (id, benchmark_id, artifact_sha256, target_signature, target, created_at, state)
                    SELECT gen_random_uuid(), j.benchmark_id, j.artifact_sha256, j.target_signature, j.target,
                           now() + make_interval(secs => g * 0.000001), CASE WHEN g % 3 = 0 THEN 'succeeded' ELSE 'queued' END
                    FROM (SELECT * FROM jobs LIMIT 1) j, generate_series(1, 60000) g
                    """), logger: logger)
                try await store.client.query(PostgresQuery(unsafeSQL: "ANALYZE"), logger: logger)

                let signature = fixture.target.signature
                let lease = "'{}'::uuid[], '{}'::text[], ARRAY['\(signature)'], 4, 30, 5"
                let statements = [
                    ("lease", LeaseJobsStatement.sql, lease),
                    ("results", AcceptResultsStatement.sql, "'[]'::jsonb"),
                    ("results_and_lease", AcceptAndLeaseStatement.sql, "'[]'::jsonb, \(lease)"),
                ]
                let (plans, kinds) = try await store.queue.withConnection { connection in
                    var plans: [String: String] = [:]
                    for (name, sql, arguments) in statements {
                        try await connection.query(PostgresQuery(unsafeSQL: "PREPARE \(name) AS \(sql)"), logger: logger)
                        var text = ""
                        let rows = try await connection.query(PostgresQuery(unsafeSQL: "EXPLAIN EXECUTE \(name)(\(arguments))"), logger: logger)
                        for try await line in rows.decode(String.self) { text += line + "\n" }
                        plans[name] = text
                    }
                    // Which kind of plan each EXPLAIN showed: these must be the generic ones.
                    var kinds: [String: String] = [:]
                    let counts = try await connection.query(PostgresQuery(unsafeSQL: """
                        SELECT name, generic_plans::int, custom_plans::int FROM pg_prepared_statements
                        WHERE name IN ('lease', 'results', 'results_and_lease')
                        """), logger: logger)
                    for try await (name, generic, custom) in counts.decode((String, Int, Int).self) { kinds[name] = "\(generic) generic, \(custom) custom" }
                    return (plans, kinds)
                }
                #expect(kinds == ["lease": "1 generic, 0 custom", "results": "1 generic, 0 custom", "results_and_lease": "1 generic, 0 custom"])
                for (name, plan) in plans {
                    #expect(!plan.contains("Seq Scan on jobs"), "\(name):\n\(plan)")
                    #expect(!plan.contains("JIT"), "\(name):\n\(plan)")
                }
                #expect(plans["lease"]?.contains("jobs_queue_ordered") == true, "\(plans["lease"] ?? "")")
                #expect(plans["results_and_lease"]?.contains("jobs_queue_ordered") == true, "\(plans["results_and_lease"] ?? "")")
                // The accepted results' jobs are found by id or among the leased ones
                // (`jobs_agent_current`, as many as there are busy agents): either way not
                // by the history's size.
                #expect(plans["results"]?.contains("jobs_pkey") == true || plans["results"]?.contains("jobs_agent_current") == true,
                        "\(plans["results"] ?? "")")
            }
        }
    }
}
