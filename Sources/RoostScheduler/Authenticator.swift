import Hummingbird
import RoostCore
import RoostStore

/// Bearer-token checks. Tokens are compared by hash; the database never sees
/// the secret itself.
struct Authenticator: Sendable {
    let store: any SchedulerStore
    /// Shared by every copy: the agent routes authenticate twice per job.
    let agents = CredentialCache()

    static func bearer(_ request: Request) -> String? {
        guard let h = request.headers[.authorization], h.hasPrefix("Bearer ") else { return nil }
        // Trimmed by hand: Foundation's trimmingCharacters cost 3 % of the scheduler's CPU under load.
        var token = h.dropFirst("Bearer ".count)
        while let c = token.first, c == " " || c == "\t" { token.removeFirst() }
        while let c = token.last, c == " " || c == "\t" { token.removeLast() }
        return token.isEmpty ? nil : String(token)
    }

    func requireAdmin(_ request: Request) async throws {
        guard let token = Self.bearer(request), try await store.isAdmin(tokenHash: SecretToken.hash(token)) else {
            throw APIError.unauthorized("admin credential required (see $ROOST_HOME/admin.token)")
        }
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
        if try await store.isAdmin(tokenHash: hash) { return }
        guard try await store.agent(credentialHash: hash) != nil else { throw APIError.unauthorized() }
    }
}
