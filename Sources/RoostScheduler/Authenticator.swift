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
        let token = h.dropFirst("Bearer ".count).trimmingCharacters(in: .whitespaces)
        return token.isEmpty ? nil : token
    }

    func requireAdmin(_ request: Request) async throws {
        guard let token = Self.bearer(request), try await store.isAdmin(tokenHash: SecretToken.hash(token)) else {
            throw APIError.unauthorized("admin credential required (see $ROOST_HOME/admin.token)")
        }
    }

    func requireAgent(_ request: Request) async throws -> AgentInfo {
        guard let token = Self.bearer(request) else { throw APIError.unauthorized("agent credential required; enroll with 'roost agent enroll'") }
        let hash = SecretToken.hash(token)
        if let cached = agents.agent(for: hash) { return cached }
        guard let agent = try await store.agent(credentialHash: hash) else {
            throw APIError.unauthorized("agent credential required; enroll with 'roost agent enroll'")
        }
        agents.remember(agent, for: hash)
        return agent
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
