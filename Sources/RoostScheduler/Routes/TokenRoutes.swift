import Foundation
import Hummingbird
import Logging
import RoostCore
import RoostStore

/// `roost token create/list/revoke`: user tokens with a role and an optional
/// expiry. Admin only. The secret is in the create reply and nowhere else; the
/// database keeps its hash.
struct TokenRoutes: Sendable {
    let store: any SchedulerStore
    let auth: Authenticator

    /// Longest lifetime a token may be given (a token that should never expire is created without one).
    static let maxLifetimeSeconds: Double = 3650 * 86400

    func register(on router: Router<BasicRequestContext>) {
        router.post("/v1/tokens") { request, context -> Response in
            try await auth.requireAdmin(request)
            let body = try await JSONResponse.decode(CreateTokenRequest.self, from: request)
            if let ttl = body.expiresInSeconds {
                guard ttl.isFinite, ttl >= 1, ttl <= Self.maxLifetimeSeconds else {
                    throw APIError(.badRequest, "expiresInSeconds must be between 1 and \(Int(Self.maxLifetimeSeconds)), not \(ttl)", field: "expiresInSeconds")
                }
            }
            let name = (body.name ?? "\(body.role.rawValue) token").trimmingCharacters(in: .whitespaces)
            guard !name.isEmpty, name.utf8.count <= InputLimits.agentNameBytes, !InputLimits.hasControlCharacters(name) else {
                throw APIError(.badRequest, "token name must be 1 to \(InputLimits.agentNameBytes) bytes, without control characters",
                               field: "name", limit: InputLimits.agentNameBytes)
            }
            let token = SecretToken.generate(prefix: body.role.rawValue)
            let info = try await store.createAPIToken(hash: SecretToken.hash(token), name: name, role: body.role, ttlSeconds: body.expiresInSeconds)
            context.logger.notice("token created", metadata: ["id": "\(info.id)", "role": "\(info.role.rawValue)", "name": "\(name)"])
            return JSONResponse.make(CreatedToken(token: token, info: info), status: .created)
        }
        router.get("/v1/tokens") { request, _ -> Response in
            try await auth.requireAdmin(request)
            return JSONResponse.make(try await store.apiTokens())
        }
        router.post("/v1/tokens/{id}/revoke") { request, context -> Response in
            try await auth.requireAdmin(request)
            let id = try context.parameters.decoded("id")
            switch try await store.revokeAPIToken(id: id) {
            case .revoked(let info):
                context.logger.notice("token revoked", metadata: ["id": "\(info.id)", "role": "\(info.role.rawValue)", "name": "\(info.name)"])
                return JSONResponse.make(info)
            case .notFound:
                throw APIError.notFound("no token with id '\(id)' (see 'roost token list')")
            case .lastAdmin:
                throw APIError.conflict("token \(id) is the last active admin token; create another admin token before revoking it")
            }
        }
    }
}
