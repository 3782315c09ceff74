import Foundation
import Logging
import PostgresNIO
import RoostCore

/// `SchedulerStore` on PostgreSQL with plain SQL through PostgresNIO.
public struct PostgresStore: SchedulerStore {
    /// Exposed for read-only checks (tests, dashboards); writes go through the store's methods.
    public let client: PostgresClient
    /// Runs only the queue's prepared hot statements, on generic plans
    /// (`DatabaseURL.queueConfiguration`).
    let queue: PostgresClient
    let logger: Logger

    public init(client: PostgresClient, queue: PostgresClient, logger: Logger) {
        self.client = client
        self.queue = queue
        self.logger = logger
    }

    /// Opens a client for `url`, runs `body` with the store, and shuts the client
    /// down afterwards — the lifetime PostgresNIO requires (`run()` in a task).
    ///
    /// `waitSeconds` > 0 lets a service start before its database: while nothing
    /// answers at `url` it retries (logging each wait) until then. A server that
    /// answers with an error (bad password, no such database) fails at once.
    public static func with<T: Sendable>(
        _ url: DatabaseURL, logger: Logger, migrate: Bool = false, waitSeconds: Double = 0,
        _ body: @Sendable (PostgresStore) async throws -> T
    ) async throws -> T {
        // PostgresNIO warns when the first lease races `run()` starting; that race is benign.
        var background = logger
        background.logLevel = max(logger.logLevel, .error)
        let client = PostgresClient(configuration: url.configuration, backgroundLogger: background)
        let queue = PostgresClient(configuration: url.queueConfiguration, backgroundLogger: background)
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await client.run() }
            group.addTask { await queue.run() }
            defer { group.cancelAll() }
            let store = PostgresStore(client: client, queue: queue, logger: logger)
            do {
                try await store.checkConnection(url, waitSeconds: waitSeconds)
                if migrate { try await Migrator(client: client, logger: logger).migrate() }
                return try await body(store)
            } catch let error as PSQLError {
                throw RoostError.database(Self.describe(error))
            }
        }
    }

    public var migrator: Migrator { Migrator(client: client, logger: logger) }

    private func checkConnection(_ url: DatabaseURL, waitSeconds: Double) async throws {
        let deadline = ContinuousClock.now + .milliseconds(Int(waitSeconds * 1000))
        var delay = 0.25
        while true {
            do {
                // A single connection first: the pool would wait for a dead server forever.
                let probe = try await PostgresConnection.connect(configuration: url.connectionConfiguration, id: 0, logger: logger)
                try? await probe.close()
                _ = try await client.query("SELECT 1", logger: logger)
                return
            } catch {
                let answered = (error as? PSQLError)?.serverInfo != nil
                guard !answered, ContinuousClock.now + .milliseconds(Int(delay * 1000)) < deadline else {
                    throw RoostError.database("cannot connect to \(url): \(Self.describe(error)); is PostgreSQL running (roost db start)?")
                }
                logger.warning("waiting for PostgreSQL", metadata: ["database": "\(url)", "error": "\(Self.describe(error))", "retry_in_s": "\(delay)"])
                try await Task.sleep(for: .milliseconds(Int(delay * 1000)))
                delay = min(delay * 2, 5)
            }
        }
    }

    static func describe(_ error: any Error) -> String {
        if let e = error as? PSQLError {
            if let message = e.serverInfo?[.message] { return message }
            return "\(e.code)"
        }
        return String(describing: error)
    }

    /// JSON text for a jsonb parameter; a `\u0000` escape (which jsonb refuses, failing the
    /// statement) becomes U+FFFD, as the result path does.
    func json<T: Encodable>(_ value: T) -> String {
        var bytes = Array(CanonicalJSON.encode(value))
        JSONText.replaceNULEscapes(in: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    func decodeJSON<T: Decodable>(_ type: T.Type, _ text: String) throws -> T {
        try RoostJSON.decoder().decode(type, from: Data(text.utf8))
    }
}
