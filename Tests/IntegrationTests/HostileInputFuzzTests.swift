import Foundation
import Logging
import Testing
import RoostClient
import RoostCore
import RoostStore
import RoostTestDatabase
import RoostTestSupport

/// Every `/v1` route that takes input, against a real farm, with each class of
/// hostile input: repeated keys, non-finite and negative numbers, huge arrays
/// and strings, deep nesting, invalid UTF-8, wrong types, foreign tokens, and
/// reserved characters in path parameters. Checked: never a 5xx, a JSON error
/// body for every refusal, no change in the database for a refused request,
/// the scheduler's memory bounded, and the model's reports still rendering.
@Suite(.enabled(if: TestDatabase.isAvailable, TestDatabase.skipReason))
struct HostileInputFuzzTests {
    /// A route and the body it would accept, given the job currently leased to agent a1.
    struct Route: Sendable {
        var method: String
        var path: @Sendable (JobAssignment) -> String
        var who: Who
        var valid: @Sendable (JobAssignment) -> String
        enum Who: Sendable { case nobody, a1, a2, admin }
    }

    static let hardwareJSON = String(decoding: (try? RoostJSON.encoder().encode(HostileInputTests.hardware)) ?? Data(), as: UTF8.self)

    static let routes: [Route] = [
        Route(method: "POST", path: { _ in "/v1/agents/enroll" }, who: .nobody,
              valid: { _ in #"{"token":"enroll_not-a-token","name":"fuzz","tags":{"k":"v"},"hardware":\#(hardwareJSON)}"# }),
        Route(method: "POST", path: { _ in "/v1/agents/heartbeat" }, who: .a2, valid: { _ in #"{"startup":false}"# }),
        Route(method: "POST", path: { _ in "/v1/jobs/lease" }, who: .a1, valid: { _ in #"{"waitSeconds":0}"# }),
        Route(method: "POST", path: { "/v1/jobs/\($0.jobID)/heartbeat" }, who: .a1, valid: { #"{"leaseToken":"\#($0.leaseToken)","phase":"timed"}"# }),
        Route(method: "POST", path: { "/v1/jobs/\($0.jobID)/release" }, who: .a1, valid: { #"{"leaseToken":"\#($0.leaseToken)","reason":"fuzz"}"# }),
        Route(method: "POST", path: { "/v1/jobs/\($0.jobID)/result" }, who: .a1, valid: { (try? HostileInputTests.uploadText($0.leaseToken)) ?? "{}" }),
        Route(method: "POST", path: { _ in "/v1/agents/health" }, who: .a2, valid: { _ in #"{"benchmark":"golden","samplesMs":[1,2,3]}"# }),
        Route(method: "POST", path: { _ in "/v1/tokens/enroll" }, who: .admin, valid: { _ in #"{"ttlSeconds":60}"# }),
        Route(method: "POST", path: { _ in "/v1/benchmarks" }, who: .admin,
              valid: { _ in #"{"modelSHA256":"\#(String(repeating: "0", count: 64))","targets":"all","spec":{"profile":"quick"}}"# }),
        Route(method: "POST", path: { "/v1/models/\($0.modelSHA256)/reference" }, who: .admin,
              valid: { _ in #"{"source":"user","inputs":[{"name":"x","shape":[1],"data":"AAAAAA=="}],"outputs":[]}"# }),
    ]

    /// The hostile variants of a route's valid body.
    static func variants(of valid: String) -> [(String, Data)] {
        let body = Data(valid.utf8)
        var out: [(String, Data)] = []
        // Repeated keys: every key of the object again, before and after, holding the wrong type.
        let keys = (try? JSONSerialization.jsonObject(with: body) as? [String: Any])?.keys.sorted() ?? []
        let junk = keys.map { #""\#($0)":"☠""# }.joined(separator: ",")
        if !keys.isEmpty {
            out.append(("repeated keys first", Data(("{" + junk + "," + valid.dropFirst()).utf8)))
            out.append(("repeated keys last", Data((valid.dropLast() + "," + junk + "}").utf8)))
            let numbers = keys.map { #""\#($0)":-1"# }.joined(separator: ",")
            out.append(("repeated keys negative", Data((valid.dropLast() + "," + numbers + "}").utf8)))
        }
        // Numbers that are not finite, or negative.
        for replacement in ["NaN", "Infinity", "1e999", "-1e999", "-1", "1.5e308"] {
            let edited = valid.replacingOccurrences(of: #":(-?[0-9][0-9.e+]*)"#, with: ":" + replacement, options: .regularExpression)
            if edited != valid { out.append(("number \(replacement)", Data(edited.utf8))) }
        }
        // Huge strings and arrays, as the body and inside it.
        let bigString = String(repeating: "s", count: 300_000)
        let stringEdited = valid.replacingOccurrences(of: #":"[^"]*""#, with: #":"\#(bigString)""#, options: .regularExpression)
        if stringEdited != valid { out.append(("huge strings", Data(stringEdited.utf8))) }
        out.append(("huge array body", Data(("[" + String(repeating: "0,", count: 600_000) + "0]").utf8)))
        out.append(("huge array field", Data((valid.dropLast() + #","padding":["# + String(repeating: "1,", count: 600_000) + "1]}").utf8)))
        out.append(("huge string body", Data(("\"" + String(repeating: "x", count: 3 << 20) + "\"").utf8)))
        // Deep nesting.
        out.append(("deep arrays", Data(String(repeating: "[", count: 100_000).utf8)))
        out.append(("deep objects", Data((String(repeating: #"{"a":"#, count: 5000) + "1" + String(repeating: "}", count: 5000)).utf8)))
        // Invalid UTF-8, in a string and bare.
        var badString = Data(valid.utf8)
        if let quote = badString.firstIndex(of: UInt8(ascii: ":")) { badString.insert(contentsOf: [0x22, 0xC3, 0x28, 0xFF, 0x22, 0x2C], at: quote + 1) }
        out.append(("invalid utf-8 in a string", badString))
        out.append(("invalid utf-8", Data([0x7B, 0xFF, 0xFE, 0xFD, 0x7D])))
        // Wrong types and shapes.
        for (name, text) in [("empty", ""), ("null", "null"), ("array", "[]"), ("string", #""x""#), ("number", "42"), ("object", "{}"),
                             ("truncated", String(valid.dropLast(3))), ("nul bytes", valid.replacingOccurrences(of: "\"", with: "\"\\u0000", options: [], range: nil))] {
            out.append((name, Data(text.utf8)))
        }
        let typed = valid.replacingOccurrences(of: #":"[^"]*""#, with: ":[1,{}]", options: .regularExpression)
        if typed != valid { out.append(("strings as lists", Data(typed.utf8))) }
        return out
    }

    /// Path parameters with reserved characters and hostile content, for every route that takes one.
    static let hostileSegments = ["%", "%zz", "..%2F..%2Fetc%2Fpasswd", "a%00b", "%27%3B%20DROP%20TABLE%20jobs%3B--", String(repeating: "a", count: 5000),
                                  "%F0%9F%90%93", "%C3%28", "%2e%2e", "a%20b%2Fc"]
    static let hostilePaths: [(String, @Sendable (String) -> String)] = [
        ("GET", { "/v1/reports/\($0)" }), ("GET", { "/v1/benchmarks/\($0)" }), ("GET", { "/v1/artifacts/\($0)" }),
        ("GET", { "/reports/\($0)" }), ("GET", { "/v1/models/\($0)/reference" }), ("POST", { "/v1/agents/\($0)/pause" }),
        ("POST", { "/v1/benchmarks/\($0)/cancel" }), ("POST", { "/v1/jobs/\($0)/heartbeat" }),
    ]

    @Test func hostileInputAtEveryRouteIsRefusedCleanly() async throws {
        try await HostileInputTests.withFarm(jobs: 40, model: "fuzz-model") { f in
            try await PostgresStore.with(f.url, logger: Logger(label: "fuzz")) { store in
                let pid = try #require(f.farm.schedulerProcess?.child.pid)
                let rssStart = try #require(residentMiB(pid))
                var job = try #require(try await f.a1.lease(waitSeconds: 0))
                var findings: [String] = []
                var requests = 0
                func client(_ who: Route.Who) throws -> RoostClient {
                    switch who {
                    case .nobody: try RoostClient(scheduler: f.farm.scheduler, credential: nil)
                    case .a1: f.a1
                    case .a2: f.a2
                    case .admin: f.admin
                    }
                }
                /// Sends one request; checks no 5xx, a JSON error body, and (when refused) an unchanged database.
                func probe(_ label: String, _ c: RoostClient, _ method: String, _ path: String, _ body: Data?) async throws -> Int {
                    let before = try await FarmSnapshot.take(store)
                    let reply = try await c.raw(method, path, bytes: body)
                    requests += 1
                    if reply.status >= 500 { findings.append("\(label): \(reply.status) \(reply.text.prefix(300))") }
                    if reply.status >= 400 {
                        if reply.error == nil { findings.append("\(label): \(reply.status) without a JSON error: \(reply.text.prefix(200))") }
                        if try await FarmSnapshot.take(store) != before { findings.append("\(label): refused with \(reply.status) but the database changed") }
                    }
                    return reply.status
                }
                for route in Self.routes {
                    for (name, body) in Self.variants(of: route.valid(job)) {
                        let status = try await probe("\(route.method) \(route.path(job)) [\(name)]", try client(route.who), route.method, route.path(job), body)
                        // An accepted upload or release ends a1's lease: lease another to keep the job routes reachable.
                        if status < 300, route.who == .a1, route.method == "POST", !route.path(job).hasSuffix("heartbeat") {
                            job = try #require(try await f.a1.lease(waitSeconds: 0), "the queue ran dry")
                        }
                    }
                }
                // Foreign tokens: a2's credential with a1's lease, on every job route.
                for route in Self.routes where route.path(job).hasPrefix("/v1/jobs/\(job.jobID)") {
                    let status = try await probe("\(route.path(job)) [foreign credential]", f.a2, route.method, route.path(job), Data(route.valid(job).utf8))
                    if status != 403 { findings.append("\(route.path(job)) [foreign credential]: \(status), not 403") }
                }
                // No credential, and a made-up one, on an agent route.
                for credential in [nil, "agent_made-up"] {
                    let c = try RoostClient(scheduler: f.farm.scheduler, credential: credential)
                    let status = try await probe("lease as \(credential ?? "nobody")", c, "POST", "/v1/jobs/lease", Data(#"{"waitSeconds":0}"#.utf8))
                    if status != 401 { findings.append("lease as \(credential ?? "nobody"): \(status), not 401") }
                }
                for (method, path) in Self.hostilePaths {
                    for segment in Self.hostileSegments {
                        _ = try await probe("\(method) \(path(segment).prefix(80))", f.admin, method, path(segment), method == "POST" ? Data("{}".utf8) : nil)
                    }
                }
                let rssEnd = try #require(residentMiB(pid))
                #expect(rssEnd - rssStart < 300, "scheduler memory grew \(rssStart) → \(rssEnd) MiB over \(requests) hostile requests")
                #expect(findings.isEmpty, "\(findings.count) findings over \(requests) requests:\n\(findings.joined(separator: "\n"))")
                #expect(requests > 200)

                // Reports of the model still render, every way.
                #expect(try await f.admin.raw("GET", "/v1/reports/fuzz-model").status == 200)
                #expect(try await f.admin.raw("GET", "/reports/fuzz-model").status == 200)
                let cli = try f.farm.roost(["report", "--model", "fuzz-model", "--format", "csv", "--scheduler", f.farm.scheduler])
                #expect(cli.status == 0, "\(cli.stderr)")
            }
        }
    }
}
