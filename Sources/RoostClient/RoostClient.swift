import Foundation
import RoostCore

/// HTTP client for the scheduler's `/v1` API. Plain http goes over URLSession
/// (libcurl on Linux), https over AsyncHTTPClient with the system trust store or
/// a private CA (`--ca-cert`); neither carries the server stack. One instance per
/// credential.
public struct RoostClient: Sendable {
    public let baseURL: URL
    public let credential: String?
    private let transport: any HTTPTransport

    public init(baseURL: URL, credential: String?, transport: any HTTPTransport) {
        self.baseURL = baseURL
        self.credential = credential
        self.transport = transport
    }

    /// `caCertificate`: a PEM file of the CA that signed an https scheduler's
    /// certificate (nil: the system trust store). Read here, so a bad file fails now.
    public init(scheduler: String, credential: String?, caCertificate: String? = nil, timeout: Double = 75) throws {
        guard let url = URL(string: scheduler), let scheme = url.scheme?.lowercased(), ["http", "https"].contains(scheme), url.host != nil else {
            throw RoostError.invalidArgument("scheduler URL '\(scheduler)' must look like http://HOST:PORT or https://HOST:PORT")
        }
        if scheme == "http" {
            if let caCertificate {
                throw RoostError.invalidArgument("--ca-cert \(caCertificate) is for https:// schedulers; \(scheduler) is plain http")
            }
            // AsyncHTTPClient for plain http too, not URLSession: on Linux its libcurl
            // integration was seen spinning an agent's dispatch thread at 100 % CPU
            // in epoll_wait for over a minute (docs/known-issues.md), starving the
            // CPU the agent is pinned to and, through the block layer's work on
            // that CPU, every process on the host that wrote to disk.
            self.init(baseURL: url, credential: credential, transport: AsyncHTTPTransport(ca: nil, timeout: timeout))
        } else {
            let ca = try caCertificate.map { try CACertificate(path: $0) }
            self.init(baseURL: url, credential: credential, transport: AsyncHTTPTransport(ca: ca, timeout: timeout))
        }
    }

    /// One path segment with everything but RFC 3986's unreserved characters
    /// percent-encoded: a model or agent name with `/`, `?`, `#`, `%` or a space
    /// stays one segment and reaches the scheduler as typed.
    public static func segment(_ s: String) -> String {
        var out = ""
        for byte in s.utf8 {
            if isUnreserved(byte) { out.unicodeScalars.append(Unicode.Scalar(byte)) } else { out += String(format: "%%%02X", byte) }
        }
        return out
    }

    /// A path as `send` takes it: segments already encoded with `segment` pass
    /// through; any other byte a path may not hold (a space, a stray `%`) is encoded.
    static func encodedPath(_ path: String) -> String {
        let bytes = Array(path.utf8)
        var out = ""
        var i = 0
        while i < bytes.count {
            let b = bytes[i]
            let escape = b == UInt8(ascii: "%") && i + 2 < bytes.count && isHex(bytes[i + 1]) && isHex(bytes[i + 2])
            if isUnreserved(b) || b == UInt8(ascii: "/") || escape { out.unicodeScalars.append(Unicode.Scalar(b)) } else { out += String(format: "%%%02X", b) }
            i += 1
        }
        return out
    }

    private static func isUnreserved(_ b: UInt8) -> Bool {
        (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || b == 0x2D || b == 0x2E || b == 0x5F || b == 0x7E
    }

    private static func isHex(_ b: UInt8) -> Bool { (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x46) || (b >= 0x61 && b <= 0x66) }

    public struct Reply: Sendable {
        public var status: Int
        public var body: Data
        /// Response headers by lowercased name.
        public var headers: [String: String] = [:]
    }

    /// Sends a request; non-2xx statuses become `RoostError.http` with the server's message.
    @discardableResult
    public func send(_ method: String, _ path: String, body: Data? = nil, contentType: String = "application/json",
                     query: [String: String] = [:], allow: Set<Int> = [], timeout: Double? = nil) async throws -> Reply {
        var components = URLComponents(url: baseURL, resolvingAgainstBaseURL: false)!
        let base = components.percentEncodedPath.hasSuffix("/") ? String(components.percentEncodedPath.dropLast()) : components.percentEncodedPath
        components.percentEncodedPath = base + Self.encodedPath(path)
        // Encoded strictly: Foundation leaves `=`, `&` and `+` in values as they are, and a
        // label baseline (`branch=main`) or a model name may hold any of them.
        if !query.isEmpty {
            let plain = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~")
            func encode(_ s: String) -> String { s.addingPercentEncoding(withAllowedCharacters: plain) ?? s }
            components.percentEncodedQueryItems = query.sorted { $0.key < $1.key }.map { URLQueryItem(name: encode($0.key), value: encode($0.value)) }
        }
        var headers: [String: String] = [:]
        if let credential { headers["Authorization"] = "Bearer \(credential)" }
        if body != nil { headers["Content-Type"] = contentType }
        let reply: TransportReply
        do {
            reply = try await transport.exchange(TransportRequest(url: components.url!, method: method, headers: headers, body: body, timeout: timeout))
        } catch TransportFailure.tlsVerification(let reason) {
            throw RoostError.tls("TLS verification of the scheduler at \(baseURL.absoluteString) failed: \(reason)")
        } catch TransportFailure.unreachable(let reason) {
            throw RoostError.unreachable("cannot reach the scheduler at \(baseURL.absoluteString): \(reason)")
        } catch {
            throw RoostError.unreachable("cannot reach the scheduler at \(baseURL.absoluteString): \(error.localizedDescription)")
        }
        guard (200..<300).contains(reply.status) || allow.contains(reply.status) else {
            let message = (try? RoostJSON.decoder().decode(APIErrorBody.self, from: reply.body))?.error
                ?? String(decoding: reply.body.prefix(500), as: UTF8.self)
            throw RoostError.http(status: reply.status, message: message)
        }
        return Reply(status: reply.status, body: reply.body, headers: reply.headers)
    }

    public func get<T: Decodable>(_ path: String, as type: T.Type) async throws -> T {
        try decode(type, try await send("GET", path).body)
    }

    public func post<B: Encodable, T: Decodable>(_ path: String, _ body: B, as type: T.Type, timeout: Double? = nil) async throws -> T {
        try decode(type, try await send("POST", path, body: try RoostJSON.encoder().encode(body), timeout: timeout).body)
    }

    /// How long a request whose server side does heavy work may take: queueing
    /// (a compile per target, a reference, and first up to the host-lock wait,
    /// 45 s by default), uploading a model (parsed and checked), exporting a
    /// bundle. The default 75 s is shorter than that work can legitimately
    /// take on a loaded host, and a client that gives up leaves it done but unreported.
    public static let heavyRequestTimeout: Double = 600

    func decode<T: Decodable>(_ type: T.Type, _ data: Data) throws -> T {
        do { return try RoostJSON.decoder().decode(type, from: data) } catch {
            throw RoostError.io("unexpected reply from the scheduler (not a \(type)): \(error)")
        }
    }
}
