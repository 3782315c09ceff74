import ArgumentParser
import Foundation
import Logging
import RoostAgentCLI
import RoostCore
import RoostStore

/// `roost db …`: the private PostgreSQL cluster under `$ROOST_HOME/pg`.
struct DBCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "db", abstract: "Manage the private PostgreSQL cluster.",
        subcommands: [Start.self, Stop.self, Migrate.self])

    struct Start: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Start (initializing if needed) the cluster on 127.0.0.1; prints DATABASE_URL.")
        @Option(help: "TCP port on 127.0.0.1.") var port: Int = LocalCluster.defaultPort

        func run() async throws {
            try await runReportingErrors {
                guard (1024...65535).contains(port) else { throw RoostError.invalidArgument("--port must be between 1024 and 65535") }
                let url = try await LocalCluster(home: RoostHome(), port: port).start(logger: Logger(label: "roost.db"))
                print("DATABASE_URL=\(url)")
            }
        }
    }

    struct Stop: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Stop the cluster.")
        func run() async throws {
            try runReportingErrors {
                let stopped = try LocalCluster(home: RoostHome()).stop()
                print(stopped ? "stopped" : "not running")
            }
        }
    }

    struct Migrate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Apply pending schema migrations.")
        @Option(help: "Database URL (default: $DATABASE_URL, then $ROOST_HOME/database-url).") var databaseURL: String?

        func run() async throws {
            try await runReportingErrors {
                let url = try DatabaseLocator.resolve(databaseURL)
                let applied = try await PostgresStore.with(url, logger: Logger(label: "roost.db")) { store in
                    try await store.migrator.migrate()
                }
                print(applied.isEmpty ? "schema up to date" : "applied migrations \(applied.map(String.init).joined(separator: ", "))")
            }
        }
    }
}

/// Finds the database: flag, then `DATABASE_URL`, then what `roost db start` recorded.
enum DatabaseLocator {
    static func resolve(_ flag: String?) throws -> DatabaseURL {
        if let flag { return try DatabaseURL(parsing: flag) }
        if let env = ProcessInfo.processInfo.environment["DATABASE_URL"], !env.isEmpty { return try DatabaseURL(parsing: env) }
        if let recorded = RoostHome.readTrimmed(RoostHome().databaseURLFile) { return try DatabaseURL(parsing: recorded) }
        throw RoostError.invalidArgument("no database: pass --database-url, set DATABASE_URL, or run 'roost db start'")
    }
}
