import Logging
import PostgresNIO
import RoostCore

/// Applies `Migration.all` that the database has not seen yet. Serialized with an
/// advisory lock so several schedulers starting together migrate exactly once.
public struct Migrator: Sendable {
    static let lockKey: Int64 = 0x526F_6F73_744D_6967  // "RoostMig"
    let client: PostgresClient
    let logger: Logger

    public init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    /// Returns the versions applied by this call.
    @discardableResult
    public func migrate(_ migrations: [Migration] = Migration.all) async throws -> [Int] {
        try await client.withConnection { conn in
            _ = try await conn.query("SELECT pg_advisory_lock(\(Self.lockKey))", logger: logger)
            do {
                let applied = try await run(migrations, on: conn)
                _ = try await conn.query("SELECT pg_advisory_unlock(\(Self.lockKey))", logger: logger)
                return applied
            } catch {
                _ = try? await conn.query("SELECT pg_advisory_unlock(\(Self.lockKey))", logger: logger)
                throw error
            }
        }
    }

    private func run(_ migrations: [Migration], on conn: PostgresConnection) async throws -> [Int] {
        try await conn.query("""
            CREATE TABLE IF NOT EXISTS roost_schema_migrations (
                version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())
            """, logger: logger)
        var done = Set<Int>()
        for try await v in try await conn.query("SELECT version FROM roost_schema_migrations", logger: logger).decode(Int.self) {
            done.insert(v)
        }
        if let newest = done.max(), let known = migrations.map(\.version).max(), newest > known {
            throw RoostError.database("the database schema is at version \(newest), newer than this build knows (\(known)); upgrade roost")
        }
        var applied: [Int] = []
        for m in migrations.sorted(by: { $0.version < $1.version }) where !done.contains(m.version) {
            try await conn.withTransaction(logger: logger) { tx in
                for statement in m.statements { try await tx.query(PostgresQuery(unsafeSQL: statement), logger: logger) }
                try await tx.query("INSERT INTO roost_schema_migrations (version, name) VALUES (\(m.version), \(m.name))", logger: logger)
            }
            logger.info("applied migration", metadata: ["version": "\(m.version)", "name": "\(m.name)"])
            applied.append(m.version)
        }
        return applied
    }
}
