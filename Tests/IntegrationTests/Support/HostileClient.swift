import Foundation
import Logging
import PostgresNIO
import Testing
import RoostClient
import RoostCore
import RoostStore

/// Raw requests for the hostile-input tests: any body (bytes, not a wire type),
/// any status accepted, the JSON error decoded when there is one.
struct RawReply {
    var status: Int
    var body: Data
    var error: APIErrorBody? { try? RoostJSON.decoder().decode(APIErrorBody.self, from: body) }
    var text: String { String(decoding: body.prefix(2000), as: UTF8.self) }
}

extension RoostClient {
    func raw(_ method: String, _ path: String, _ body: String? = nil) async throws -> RawReply {
        try await raw(method, path, bytes: body.map { Data($0.utf8) })
    }

    func raw(_ method: String, _ path: String, bytes: Data?) async throws -> RawReply {
        let reply = try await send(method, path, body: bytes, allow: Set(100..<600))
        return RawReply(status: reply.status, body: reply.body)
    }
}

/// The database's state, for "a refused request changed nothing": every
/// row a request could touch, without the clocks a heartbeat moves.
enum FarmSnapshot {
    static func take(_ url: DatabaseURL) async throws -> String {
        try await PostgresStore.with(url, logger: Logger(label: "snapshot")) { store in try await take(store) }
    }

    static func take(_ store: PostgresStore) async throws -> String {
        do {
            let rows = try await store.client.query("""
                SELECT concat_ws('|',
                    (SELECT string_agg(concat_ws(',', id, state, attempt, lease_token, phase, agent_id, error, attempts::text), ';' ORDER BY id) FROM jobs),
                    (SELECT string_agg(concat_ws(',', job_id, status, p50_ms, sample_count, statistics::text), ';' ORDER BY job_id) FROM results),
                    (SELECT string_agg(concat_ws(',', id, name, state, tags::text), ';' ORDER BY id) FROM agents),
                    (SELECT string_agg(concat_ws(',', sha256, name, version), ';' ORDER BY sha256) FROM models),
                    (SELECT count(*) FROM benchmarks), (SELECT count(*) FROM enrollment_tokens))
                """)
            for try await s in rows.decode(String.self) { return s }
            return ""
        }
    }

    /// One SQL value as text (counts, single cells).
    static func scalar(_ url: DatabaseURL, _ sql: String) async throws -> String? {
        try await PostgresStore.with(url, logger: Logger(label: "snapshot")) { store in
            for try await s in try await store.client.query(PostgresQuery(unsafeSQL: sql)).decode(String?.self) { return s }
            return nil
        }
    }

    static func execute(_ url: DatabaseURL, _ sql: String) async throws {
        try await PostgresStore.with(url, logger: Logger(label: "snapshot")) { store in
            _ = try await store.client.query(PostgresQuery(unsafeSQL: sql))
        }
    }
}

/// Resident memory of a process, in MiB (Linux `/proc`).
func residentMiB(_ pid: pid_t) -> Double? {
    guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
          let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }),
          let kb = Double(line.split(separator: " ").dropFirst().first ?? "") else { return nil }
    return kb / 1024
}

/// One HTTP/1.1 request written byte for byte on a plain socket, for what no
/// HTTP client sends: AsyncHTTPClient re-encodes the path, and an escape of
/// bytes that are not UTF-8 (`%C3%28`) does not survive that.
enum WireRequest {
    static func send(port: Int, _ method: String, _ target: String, credential: String? = nil) throws -> RawReply {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw RoostError.io("socket: \(errno)") }
        defer { close(fd) }
        var timeout = timeval(tv_sec: 30, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        addr.sin_port = UInt16(port).bigEndian
        let connected = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { throw RoostError.io("connect to 127.0.0.1:\(port): \(errno)") }
        let auth = credential.map { "Authorization: Bearer \($0)\r\n" } ?? ""
        let request = Array("\(method) \(target) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\n\(auth)Connection: close\r\n\r\n".utf8)
        guard write(fd, request, request.count) == request.count else { throw RoostError.io("write: \(errno)") }
        var reply = Data()
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = read(fd, &buffer, buffer.count)
            if n <= 0 { break }
            reply.append(contentsOf: buffer[0..<n])
        }
        guard let split = reply.range(of: Data("\r\n\r\n".utf8)),
              let statusLine = String(data: reply[..<split.lowerBound], encoding: .utf8)?.split(separator: "\r\n").first,
              let status = statusLine.split(separator: " ").dropFirst().first.flatMap({ Int($0) }) else {
            throw RoostError.io("no HTTP reply: \(String(decoding: reply.prefix(200), as: UTF8.self))")
        }
        var body = Data(reply[split.upperBound...])
        if String(decoding: reply[..<split.lowerBound], as: UTF8.self).lowercased().contains("transfer-encoding: chunked") {
            body = dechunk(body)
        }
        return RawReply(status: status, body: body)
    }

    private static func dechunk(_ data: Data) -> Data {
        var out = Data(), rest = data[...]
        while let line = rest.range(of: Data("\r\n".utf8)),
              let size = Int(String(decoding: rest[..<line.lowerBound], as: UTF8.self), radix: 16), size > 0 {
            let start = line.upperBound
            guard rest.distance(from: start, to: rest.endIndex) >= size else { break }
            let end = rest.index(start, offsetBy: size)
            out.append(rest[start..<end])
            rest = rest[rest.index(end, offsetBy: min(2, rest.distance(from: end, to: rest.endIndex)))...]
        }
        return out
    }
}
