import Foundation

/// One HTTP exchange on the wire, whatever carries it. `RoostClient` builds the
/// request and judges the reply; a transport only moves bytes, so plain http
/// (URLSession) and https with a chosen trust store (AsyncHTTPClient) are
/// interchangeable beneath the same `send`.
public protocol HTTPTransport: Sendable {
    /// The reply, whatever its status; `TransportFailure` when none came.
    func exchange(_ request: TransportRequest) async throws -> TransportReply
}

public struct TransportRequest: Sendable {
    public var url: URL
    public var method: String
    public var headers: [String: String]
    public var body: Data?
    /// Seconds to wait for the reply when longer than the transport's own
    /// timeout: for requests whose server side does the heavy work (a queue
    /// request compiles per target and may wait for the host lock first).
    public var timeout: Double?

    public init(url: URL, method: String, headers: [String: String] = [:], body: Data? = nil, timeout: Double? = nil) {
        self.url = url
        self.method = method
        self.headers = headers
        self.body = body
        self.timeout = timeout
    }
}

public struct TransportReply: Sendable {
    public var status: Int
    public var body: Data
    /// By lowercased name; repeated headers joined with ", ".
    public var headers: [String: String]

    public init(status: Int, body: Data, headers: [String: String]) {
        self.status = status
        self.body = body
        self.headers = headers
    }
}

/// Why an exchange got no reply, in words for the user. The two differ in what
/// to do next: an unreachable scheduler may answer later; a certificate that
/// does not verify will not, until someone changes the CA or the certificate.
public enum TransportFailure: Error, Sendable, Equatable {
    case unreachable(String)
    case tlsVerification(String)
}
