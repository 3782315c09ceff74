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
