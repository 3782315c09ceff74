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

    /// The store's general pool. JIT is off: the scheduler's statements touch a
    /// few rows each, and a plan whose estimate crosses `jit_above_cost` spends
    /// tens of milliseconds compiling code it then runs once.
    var configuration: PostgresClient.Configuration {
        var config = PostgresClient.Configuration(host: host, port: port, username: user, password: password, database: database, tls: .disable)
        config.options.minimumConnections = 0
        config.options.maximumConnections = 20
        config.options.additionalStartupParameters = [("jit", "off")]
        return config
    }

    /// The pool for the queue's hot statements (lease, result, result with the
    /// next lease), which are prepared once per connection and then planned once:
    /// `plan_cache_mode = force_generic_plan`. PostgreSQL otherwise re-plans each
    /// of them at every execution — its generic plan's estimate (an unknown
    /// `LIMIT` is taken as a tenth of the queue) never looks cheaper than a
    /// custom one — and planning the multi-CTE statements cost more than running
    /// them. Only these statements run here: for the general pool's ad-hoc
    /// queries a custom plan is the better default. The generic plans are rebuilt
    /// whenever `ANALYZE` changes the tables' statistics, and a test holds them to
    /// index scans on a large queue.
    var queueConfiguration: PostgresClient.Configuration {
        var config = configuration
        // At most four such statements run at once per target-signature set
        // (one lease, one result, two result-and-lease); a farm of several
        // hardware kinds runs a few sets at once.
        config.options.maximumConnections = 16
        config.options.additionalStartupParameters.append(("plan_cache_mode", "force_generic_plan"))
        return config
    }
}
