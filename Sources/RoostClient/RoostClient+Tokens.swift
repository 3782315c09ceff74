import Foundation
import RoostCore

/// User tokens and agent credentials: `roost token …` and `roost agent revoke` (admin).
extension RoostClient {
    public func createToken(_ request: CreateTokenRequest) async throws -> CreatedToken {
        let body = try RoostJSON.encoder().encode(request)
        return try decode(CreatedToken.self, try await send("POST", "/v1/tokens", body: body).body)
    }

    public func tokens() async throws -> [APITokenInfo] {
        try decode([APITokenInfo].self, try await send("GET", "/v1/tokens").body)
    }

    public func revokeToken(id: String) async throws -> APITokenInfo {
        try decode(APITokenInfo.self, try await send("POST", "/v1/tokens/\(Self.segment(id))/revoke").body)
    }

    /// Removes the agent's credential; it must enroll again (with a new enrollment token) to take work.
    public func revokeAgent(name: String) async throws -> AgentInfo {
        try decode(AgentInfo.self, try await send("POST", "/v1/agents/\(Self.segment(name))/revoke").body)
    }
}
