import Foundation

/// What a user token may do. `admin` is everything; `submitter` uploads models,
/// queues benchmarks, cancels its own and reads; `viewer` reads reports, status
/// and the dashboard. Agents hold their own credentials (from enrollment), which
/// reach only the agent routes; `roost token create --role agent` makes the
/// one-time enrollment token an agent trades for one.
public enum TokenRole: String, Codable, Sendable, CaseIterable, Comparable {
    case viewer, submitter, admin

    /// Whether a token of this role may use a route that needs `needed`.
    public func permits(_ needed: TokenRole) -> Bool { self >= needed }

    public static func < (a: TokenRole, b: TokenRole) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }
}

/// `POST /v1/tokens`: a named token of a role, optionally expiring.
public struct CreateTokenRequest: Codable, Sendable {
    public var role: TokenRole
    public var name: String?
    public var expiresInSeconds: Double?
    public init(role: TokenRole, name: String? = nil, expiresInSeconds: Double? = nil) {
        self.role = role; self.name = name; self.expiresInSeconds = expiresInSeconds
    }
}

/// A user token as listed: never the secret, which exists only in the reply
/// that created it (the database keeps its hash).
public struct APITokenInfo: Codable, Sendable, Equatable {
    public var id: String
    public var name: String
    public var role: TokenRole
    public var createdAt: Date
    public var expiresAt: Date?
    public var revokedAt: Date?
    public init(id: String, name: String, role: TokenRole, createdAt: Date, expiresAt: Date?, revokedAt: Date?) {
        self.id = id; self.name = name; self.role = role; self.createdAt = createdAt; self.expiresAt = expiresAt; self.revokedAt = revokedAt
    }

    /// `active`, `expired` or `revoked`, as of `now`.
    public func status(at now: Date = Date()) -> String {
        if revokedAt != nil { return "revoked" }
        if let expiresAt, expiresAt <= now { return "expired" }
        return "active"
    }
}

/// The reply to `POST /v1/tokens`: the secret, shown once, and the token as listed.
public struct CreatedToken: Codable, Sendable {
    public var token: String
    public var info: APITokenInfo
    public init(token: String, info: APITokenInfo) { self.token = token; self.info = info }
}
