import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Plain http on URLSession (libcurl on Linux), as the client always spoke it.
/// `timeout` is per request, between bytes: long-polls wait up to 30 s.
public struct URLSessionTransport: HTTPTransport {
    private let session: URLSession

    public init(timeout: Double = 75) {
        let config = URLSessionConfiguration.ephemeral
        config.timeoutIntervalForRequest = timeout
        config.timeoutIntervalForResource = 3600
        config.httpMaximumConnectionsPerHost = 4
        session = URLSession(configuration: config)
    }

    public func exchange(_ request: TransportRequest) async throws -> TransportReply {
        var urlRequest = URLRequest(url: request.url)
        urlRequest.httpMethod = request.method
        for (name, value) in request.headers { urlRequest.setValue(value, forHTTPHeaderField: name) }
        urlRequest.httpBody = request.body
        let data: Data, response: URLResponse
        do {
            (data, response) = try await session.data(for: urlRequest)
        } catch {
            throw TransportFailure.unreachable(error.localizedDescription)
        }
        let http = response as? HTTPURLResponse
        var headers: [String: String] = [:]
        for (k, v) in http?.allHeaderFields ?? [:] {
            if let k = k as? String, let v = v as? String { headers[k.lowercased()] = v }
        }
        return TransportReply(status: http?.statusCode ?? 0, body: data, headers: headers)
    }
}
