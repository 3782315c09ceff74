import Foundation

/// Input refused at the door: which field, what limit, and why. The scheduler
/// answers it as a 400 (or 413 for a body too large) whose JSON names the
/// field and the limit (`APIErrorBody.field`, `.limit`).
public struct InputViolation: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: String, Sendable {
        /// Longer, larger or more than allowed: `limit` says how much is.
        case tooLarge
        /// Not a value the field may hold (negative, not finite, malformed).
        case invalid
    }

    public var kind: Kind
    /// Where in the body, e.g. `result.statistics.p50` or `tags`.
    public var field: String
    public var limit: Int?
    public var message: String

    public init(_ kind: Kind, field: String, limit: Int? = nil, message: String) {
        self.kind = kind
        self.field = field
        self.limit = limit
        self.message = message
    }

    public var description: String { message }

    static func tooLong(_ field: String, bytes: Int, limit: Int) -> InputViolation {
        InputViolation(.tooLarge, field: field, limit: limit, message: "\(field) is \(bytes) bytes long; at most \(limit) are allowed")
    }

    static func tooMany(_ field: String, count: Int, limit: Int) -> InputViolation {
        InputViolation(.tooLarge, field: field, limit: limit, message: "\(field) has \(count) entries; at most \(limit) are allowed")
    }
}
