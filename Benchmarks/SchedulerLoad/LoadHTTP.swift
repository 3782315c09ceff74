import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import RoostCore

/// URLSession for the benchmark's setup and read-back (health, enrollment,
/// `/metrics`), off the measured path; the simulated agents use `AgentConnection`.
struct LoadHTTP: Sendable {
    let base: URL
    private let session: URLSession

    init(base: URL, connections: Int) {
        self.base = base
        let config = URLSessionConfiguration.ephemeral
        config.httpMaximumConnectionsPerHost = connections
        config.timeoutIntervalForRequest = 60
        config.timeoutIntervalForResource = 120
        session = URLSession(configuration: config)
    }

    struct Reply: Sendable {
        var status: Int
        var body: Data
    }

    func send(_ method: String, _ path: String, credential: String?, body: Data? = nil) async throws -> Reply {
        var request = URLRequest(url: base.appendingPathComponent(path))
        request.httpMethod = method
        if let credential { request.setValue("Bearer \(credential)", forHTTPHeaderField: "Authorization") }
        if let body {
            request.httpBody = body
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        }
        let (data, response) = try await session.data(for: request)
        return Reply(status: (response as? HTTPURLResponse)?.statusCode ?? 0, body: data)
    }

    /// A 2xx reply decoded as `T`; anything else is an error carrying the server's message.
    func json<B: Encodable, T: Decodable>(_ path: String, credential: String?, _ body: B, as type: T.Type) async throws -> T {
        let reply = try await send("POST", path, credential: credential, body: try RoostJSON.encoder().encode(body))
        guard (200..<300).contains(reply.status) else {
            throw RoostError.http(status: reply.status, message: String(decoding: reply.body.prefix(300), as: UTF8.self))
        }
        return try RoostJSON.decoder().decode(type, from: reply.body)
    }
}
