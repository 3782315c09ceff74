import PostgresNIO

/// What PostgreSQL said when a statement failed. `PSQLError` prints a generic
/// text on purpose (it may hold data), so a log line with only `\(error)` has
/// no cause; this pulls out the SQLSTATE and the server's message, for the log
/// and for telling a value the database refused (class 22, a 400) from a fault.
public struct DatabaseFailure: Sendable, CustomStringConvertible {
    public var sqlState: String
    public var message: String

    public init?(_ error: any Error) {
        guard let e = error as? PSQLError else { return nil }
        sqlState = e.serverInfo?[.sqlState] ?? "none"
        message = e.serverInfo?[.message] ?? "\(e.code)"
    }

    /// Class 22, data exception: the value itself was unacceptable (out of range, malformed).
    public var isDataException: Bool { sqlState.hasPrefix("22") }

    public var description: String { "PostgreSQL \(sqlState): \(message)" }
}
