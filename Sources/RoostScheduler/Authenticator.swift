import Foundation
import Hummingbird
import RoostCore
import RoostStore

/// Bearer-token checks. Tokens are compared by hash; the database never sees
/// the secret itself. User tokens (admin, submitter, viewer) are looked up on
/// every request, so an expiry or a revocation holds from the next request;
/// agent credentials go through `CredentialCache` (the agent routes are the hot
/// path), whose 5 s lifetime bounds how long a revoked agent is still served.
struct Authenticator: Sendable {
    let store: any SchedulerStore
    /// Shared by every copy: the agent routes authenticate twice per job.
    let agents = CredentialCache()

    /// Who a user token belongs to, once checked.
    struct Principal: Sendable {
        var tokenID: String
        var role: TokenRole
    }

    static func bearer(_ request: Request) -> String? {
        guard let h = request.headers[.authorization], h.hasPrefix("Bearer ") else { return nil }
        // Trimmed by hand: Foundation's trimmingCharacters cost 3 % of the scheduler's CPU under load.
        var token = h.dropFirst("Bearer ".count)
        while let c = token.first, c == " " || c == "\t" { token.removeFirst() }
        while let c = token.last, c == " " || c == "\t" { token.removeLast() }
        return token.isEmpty ? nil : String(token)
    }

    /// The user token `token`, if it is known, unexpired and unrevoked; else
    /// the 401 that says which of those it is not.
    func principal(token: String?) async throws -> Principal {
        guard let token else { throw APIError.unauthorized("credential required: a bearer token (see $ROOST_HOME/admin.token, or 'roost token create')") }
        guard let info = try await store.apiToken(hash: SecretToken.hash(token)) else {
            if try await store.agent(credentialHash: SecretToken.hash(token)) != nil {
                throw APIError.forbidden("an agent credential reaches only the agent routes")
            }
            throw APIError.unauthorized("unknown credential")
        }
        if let revoked = info.revokedAt { throw APIError.unauthorized("token '\(info.name)' was revoked at \(ISO8601DateFormatter().string(from: revoked))") }
        if let expires = info.expiresAt, expires <= Date() {
            throw APIError.unauthorized("token '\(info.name)' expired at \(ISO8601DateFormatter().string(from: expires))")
        }
        return Principal(tokenID: info.id, role: info.role)
    }

    /// A user token whose role permits `role` (admin ⊇ submitter ⊇ viewer); 403 otherwise.
    @discardableResult
    func require(_ role: TokenRole, _ request: Request) async throws -> Principal {
        try await require(role, token: Self.bearer(request))
    }

    @discardableResult
    func require(_ role: TokenRole, token: String?) async throws -> Principal {
        let who = try await principal(token: token)
        guard who.role.permits(role) else {
            throw APIError.forbidden("this route needs a \(role.rawValue) token; this one is a \(who.role.rawValue) token")
        }
        return who
    }

    func requireAdmin(_ request: Request) async throws {
        try await require(.admin, request)
    }

    func requireAgent(_ request: Request) async throws -> AgentInfo {
        try await requireAgentEntry(request).agent
    }

    /// The agent with its target signatures, for the lease path.
    func requireAgentEntry(_ request: Request) async throws -> CredentialCache.Entry {
        guard let token = Self.bearer(request) else { throw APIError.unauthorized("agent credential required; enroll with 'roost agent enroll'") }
        let hash = SecretToken.hash(token)
        if let cached = agents.agent(for: hash) { return cached }
        guard let agent = try await store.agent(credentialHash: hash) else {
            if try await store.apiToken(hash: hash) != nil { throw APIError.forbidden("the agent routes need an agent credential, not a user token") }
            throw APIError.unauthorized("agent credential required; enroll with 'roost agent enroll'")
        }
        return agents.remember(agent, for: hash)
    }

    /// Drops the cached agent behind this request's credential (its hardware just changed).
    func forgetAgent(_ request: Request) {
        if let token = Self.bearer(request) { agents.forget(SecretToken.hash(token)) }
    }

    /// Artifacts may be fetched by agents and by admins (for `roost inspect`).
    func requireAgentOrAdmin(_ request: Request) async throws {
        guard let token = Self.bearer(request) else { throw APIError.unauthorized() }
        let hash = SecretToken.hash(token)
        if agents.agent(for: hash) != nil { return }
        if try await store.agent(credentialHash: hash) != nil { return }
        let who = try await principal(token: token)
        guard who.role == .admin else { throw APIError.forbidden("artifacts and reference data are for agents and admin tokens") }
    }
}
