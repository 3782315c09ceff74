import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import NIOSSL

/// https on AsyncHTTPClient with NIOSSL, whose trust roots are the system store
/// or one private CA (`CACertificate`) — URLSession on Linux cannot be given a
/// CA file. Owns its `HTTPClient` and shuts it down when the last copy of the
/// `RoostClient` holding it goes.
public final class AsyncHTTPTransport: HTTPTransport {
    private let client: HTTPClient
    /// What the scheduler's certificate is checked against, for messages.
    private let trust: TLSFailureDescription.Trust
    /// Longest wait for a request's reply: the URLSession transport's resource timeout.
    private let deadline: TimeAmount = .seconds(3600)
    /// Seconds without a byte of the reply before a request fails, unless the request asks for longer.
    private let timeout: Double
    /// A reply body larger than this is refused (artifacts are well below).
    static let maxBodyBytes = 4 << 30

    /// - Parameters:
    ///   - ca: the private CA to trust instead of the system store; nil trusts the system store.
    ///   - timeout: seconds without a byte of the reply before a request fails (long-polls wait up to 30 s).
    public init(ca: CACertificate?, timeout: Double = 75) {
        var tls = TLSConfiguration.makeClientConfiguration()
        if let ca { tls.trustRoots = .certificates(ca.certificates) }
        trust = ca.map { .privateCA(path: $0.path) } ?? .system
        self.timeout = timeout
        // A refused connection or handshake fails the request at once, as with
        // URLSession: the agent's own backoff decides when to try again, and a
        // certificate that does not verify is reported, not retried for 10 s.
        var pool = HTTPClient.Configuration.ConnectionPool()
        pool.retryConnectionEstablishment = false
        let config = HTTPClient.Configuration(
            tlsConfiguration: tls,
            redirectConfiguration: .follow(max: 5, allowCycles: false),
            // The client's read timeout is the longest any request may ask for;
            // each request's own wait for its reply head is its deadline below.
            timeout: .init(connect: .seconds(10), read: .milliseconds(Int64(max(timeout, RoostClient.heavyRequestTimeout) * 1000))),
            connectionPool: pool,
            proxy: nil,
            ignoreUncleanSSLShutdown: false,
            decompression: .disabled)
        client = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: config)
    }

    deinit {
        // Not awaited: the client keeps itself alive until its connections are closed.
        client.shutdown { _ in }
    }

    public func exchange(_ request: TransportRequest) async throws -> TransportReply {
        var outgoing = HTTPClientRequest(url: request.url.absoluteString)
        outgoing.method = HTTPMethod(rawValue: request.method)
        for (name, value) in request.headers { outgoing.headers.add(name: name, value: value) }
        if let body = request.body { outgoing.body = .bytes(body) }
        do {
            let response = try await client.execute(outgoing, timeout: .milliseconds(Int64((request.timeout ?? timeout) * 1000)))
            let body = try await response.body.collect(upTo: Self.maxBodyBytes)
            var headers: [String: String] = [:]
            for (name, value) in response.headers {
                let key = name.lowercased()
                headers[key] = headers[key].map { "\($0), \(value)" } ?? value
            }
            return TransportReply(status: Int(response.status.code), body: Data(body.readableBytesView), headers: headers)
        } catch {
            throw TLSFailureDescription.classify(error, trust: trust, host: request.url.host ?? "")
        }
    }
}
