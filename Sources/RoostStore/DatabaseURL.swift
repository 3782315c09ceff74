import Foundation
import PostgresNIO
import RoostCore

/// A `postgres://user:password@host:port/database` URL, as printed by `roost db start`.
public struct DatabaseURL: Sendable, Equatable, CustomStringConvertible {
    public var host: String
    public var port: Int
    public var user: String
    public var password: String?
    public var database: String

    public init(host: String = "127.0.0.1", port: Int = 5432, user: String, password: String? = nil, database: String) {
        self.host = host
        self.port = port
        self.user = user
        self.password = password
        self.database = database
    }

    public init(parsing text: String) throws {
        guard let c = URLComponents(string: text), c.scheme == "postgres" || c.scheme == "postgresql",
              let host = c.host, !host.isEmpty else {
            throw RoostError.invalidArgument("database URL '\(text)' is not of the form postgres://USER@HOST:PORT/DATABASE")
        }
        let db = c.path.trimmingCharacters(in: CharacterSet(charactersIn: "/"))
        self.init(host: host, port: c.port ?? 5432, user: c.user ?? "postgres", password: c.password, database: db.isEmpty ? (c.user ?? "postgres") : db)
    }

    public var description: String {
        let auth = password.map { "\(user):\($0)" } ?? user
        return "postgres://\(auth)@\(host):\(port)/\(database)"
    }

    public func with(database: String) -> DatabaseURL {
        var copy = self
        copy.database = database
        return copy
    }

    /// One connection, no pool: a pool waits for the server indefinitely,
    /// a single connect attempt says at once that nobody answers.
    var connectionConfiguration: PostgresConnection.Configuration {
        PostgresConnection.Configuration(host: host, port: port, username: user, password: password, database: database, tls: .disable)
    }

    var configuration: PostgresClient.Configuration {
        var config = PostgresClient.Configuration(host: host, port: port, username: user, password: password, database: database, tls: .disable)
        config.options.minimumConnections = 0
        config.options.maximumConnections = 20
        return config
    }
}
