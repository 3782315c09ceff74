import Foundation
import Logging
import Testing
import RoostClient
import RoostCore
import RoostONNX
import RoostStore
import RoostTestDatabase
import RoostTestSupport

/// Issue 19's scoped tokens against a real scheduler process (two, for the
/// cache) and PostgreSQL: every role against every route class, revocation of
/// user tokens and agent credentials within 5 s, expiry, the CLI's refusals,
/// and rotating the bootstrap admin token.
@Suite(.enabled(if: TestDatabase.isAvailable, TestDatabase.skipReason), .serialized)
struct ScopedTokenTests {
    /// `roost token create --role ROLE --name NAME [--expires D]` through the CLI: the secret and its id.
    static func create(_ farm: TestFarm, role: String, name: String, expires: String? = nil,
                       as token: String? = nil) throws -> (secret: String, id: String) {
        let out = try run(farm, ["token", "create", "--role", role, "--name", name] + (expires.map { ["--expires", $0] } ?? []), as: token)
        try #require(out.status == 0, "token create --role \(role): \(out.stderr)")
        let secret = out.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let id = try #require(out.stderr.split(separator: " ").dropFirst().first.map(String.init), "no id in: \(out.stderr)")
        return (secret, id)
    }

    /// A `roost` command against the farm, as `token` (default: the bootstrap admin.token file).
    static func run(_ farm: TestFarm, _ arguments: [String], as token: String? = nil) throws -> ProcessRunner.Output {
        try RoostProcess.run(arguments + ["--scheduler", farm.scheduler], home: farm.home, timeout: 120,
                             extraEnvironment: token.map { ["ROOST_TOKEN": $0] } ?? [:])
    }

    static func client(_ farm: TestFarm, _ token: String?) throws -> RoostClient {
        try RoostClient(scheduler: farm.scheduler, credential: token)
    }

    static func status(_ c: RoostClient, _ method: String, _ path: String, _ body: String? = nil, query: [String: String] = [:]) async throws -> Int {
        try await c.send(method, path, body: body.map { Data($0.utf8) }, query: query, allow: Set(100..<600)).status
    }

    /// One representative request per route class, and the roles each class admits.
    struct Probe: Sendable {
        var routeClass: String
        var method: String
        var path: String
        var body: String?
        var query: [String: String] = [:]
    }

    static let admits: [String: Set<String>] = [
        "read": ["admin", "submitter", "viewer"],
        "submit": ["admin", "submitter"],
        "admin": ["admin"],
        "agent": ["agent"],
        "artifact": ["admin", "agent"],
    ]

    static func probes(benchmark: String) -> [Probe] {
        [
            Probe(routeClass: "read", method: "GET", path: "/v1/benchmarks"),
            Probe(routeClass: "read", method: "GET", path: "/v1/benchmarks/\(benchmark)"),
            Probe(routeClass: "read", method: "GET", path: "/v1/benchmarks/\(benchmark)/report"),
            Probe(routeClass: "read", method: "GET", path: "/v1/reports/hostile-model"),
            Probe(routeClass: "read", method: "GET", path: "/v1/models"),
            Probe(routeClass: "read", method: "GET", path: "/v1/agents"),
            // Bodies the route refuses (400) once the credential passed: the refusal of a wrong role comes first.
            Probe(routeClass: "submit", method: "POST", path: "/v1/models", body: "not an onnx model", query: ["name": "matrix"]),
            Probe(routeClass: "submit", method: "POST", path: "/v1/benchmarks", body: "{}"),
            Probe(routeClass: "submit", method: "POST", path: "/v1/models/\(String(repeating: "0", count: 64))/reference", body: "{}"),
            Probe(routeClass: "submit", method: "POST", path: "/v1/bundles", body: "{}"),
            Probe(routeClass: "submit", method: "POST", path: "/v1/bundles/import", body: "not a results file"),
            Probe(routeClass: "admin", method: "POST", path: "/v1/tokens/enroll", body: #"{"ttlSeconds":60}"#),
            Probe(routeClass: "admin", method: "GET", path: "/v1/tokens"),
            Probe(routeClass: "admin", method: "POST", path: "/v1/tokens", body: #"{"role":"viewer","name":"matrix"}"#),
            Probe(routeClass: "admin", method: "POST", path: "/v1/tokens/\(UUID().uuidString)/revoke"),
            Probe(routeClass: "admin", method: "POST", path: "/v1/agents/no-such-agent/pause"),
            Probe(routeClass: "admin", method: "POST", path: "/v1/agents/no-such-agent/revoke"),
            Probe(routeClass: "agent", method: "POST", path: "/v1/agents/heartbeat", body: "{}"),
            Probe(routeClass: "agent", method: "POST", path: "/v1/jobs/lease", body: #"{"waitSeconds":0}"#),
            Probe(routeClass: "agent", method: "GET", path: "/v1/agents/health"),
            Probe(routeClass: "artifact", method: "GET", path: "/v1/artifacts/\(String(repeating: "0", count: 64))"),
        ]
    }

    @Test func everyRoleReachesExactlyItsRouteClassesAndRefusalsChangeNothing() async throws {
        try await HostileInputTests.withFarm(jobs: 1) { f in
            let benchmark = try #require(try await f.admin.recentBenchmarks().first?.benchmarkID)
            let submitter = try Self.create(f.farm, role: "submitter", name: "ci")
            let viewer = try Self.create(f.farm, role: "viewer", name: "wall")
            let clients: [(role: String, client: RoostClient)] = [
                ("admin", f.admin), ("submitter", try Self.client(f.farm, submitter.secret)),
                ("viewer", try Self.client(f.farm, viewer.secret)), ("agent", f.a1),
                ("nobody", try Self.client(f.farm, nil)), ("forged", try Self.client(f.farm, "admin_forged-secret")),
            ]
            let probes = Self.probes(benchmark: benchmark)
            // Refused requests first: together they change nothing in the database.
            let before = try await FarmSnapshot.take(f.url)
            var matrix: [String] = []
            for (role, client) in clients {
                for p in probes where !(Self.admits[p.routeClass]!.contains(role)) {
                    let status = try await Self.status(client, p.method, p.path, p.body, query: p.query)
                    let expected = ["nobody", "forged"].contains(role) ? 401 : 403
                    matrix.append("\(role) \(p.method) \(p.path): \(status)")
                    #expect(status == expected, "\(role) × \(p.routeClass) \(p.method) \(p.path): \(status), not \(expected)")
                }
            }
            #expect(try await FarmSnapshot.take(f.url) == before, "a refused request changed the database")
            // Admitted requests pass the credential check (whatever the route then says of the body).
            for (role, client) in clients {
                for p in probes where Self.admits[p.routeClass]!.contains(role) {
                    let status = try await Self.status(client, p.method, p.path, p.body, query: p.query)
                    matrix.append("\(role) \(p.method) \(p.path): \(status)")
                    #expect(![401, 403].contains(status), "\(role) × \(p.routeClass) \(p.method) \(p.path) was refused: \(status)")
                    #expect(status < 500, "\(role) \(p.method) \(p.path): \(status)")
                }
            }
            #expect(matrix.count == clients.count * probes.count)

            // Cancel: a submitter only its own benchmarks; a viewer none; an admin any.
            let notOwn = try Self.run(f.farm, ["bench", "cancel", benchmark], as: submitter.secret)
            #expect(notOwn.status != 0 && notOwn.stderr.contains("403"), "\(notOwn.stderr)")
            let model = f.farm.home.appendingPathComponent("mine.onnx")
            try HostileInputTests.model("Relu").write(to: model)
            let queued = try Self.run(f.farm, ["bench", "queue", model.path, "--name", "mine", "--json"], as: submitter.secret)
            try #require(queued.status == 0, "submitter could not queue: \(queued.stderr)")
            let mine = try RoostJSON.decoder().decode(BenchmarkStatus.self, from: Data(queued.stdout.utf8)).benchmarkID
            let byViewer = try Self.run(f.farm, ["bench", "cancel", mine], as: viewer.secret)
            #expect(byViewer.status != 0 && byViewer.stderr.contains("403"), "\(byViewer.stderr)")
            let own = try Self.run(f.farm, ["bench", "cancel", mine], as: submitter.secret)
            #expect(own.status == 0, "\(own.stderr)")
            #expect(try await FarmSnapshot.scalar(f.url, "SELECT string_agg(DISTINCT state, ',') FROM jobs WHERE benchmark_id = '\(mine)'") == "cancelled")
            let byAdmin = try Self.run(f.farm, ["bench", "cancel", benchmark])
            #expect(byAdmin.status == 0, "\(byAdmin.stderr)")

            // Stored hashed: no secret appears in the table or in the listing.
            let stored = try await FarmSnapshot.scalar(f.url, "SELECT string_agg(token_hash || name, ',') FROM api_tokens") ?? ""
            #expect(!stored.contains(submitter.secret) && !stored.contains(viewer.secret))
            let list = try Self.run(f.farm, ["token", "list", "--json"])
            #expect(list.status == 0 && list.stdout.contains(submitter.id) && !list.stdout.contains(submitter.secret), "\(list.stdout)")
        }
    }

    @Test func revokedTokensAndAgentsAreRefusedWithinFiveSecondsAndExpiredTokensAtOnce() async throws {
        try await HostileInputTests.withFarm(jobs: 0) { f in
            // A user token: refused from the next request after the revoke.
            let viewer = try Self.create(f.farm, role: "viewer", name: "to-revoke")
            let asViewer = try Self.client(f.farm, viewer.secret)
            #expect(try await Self.status(asViewer, "GET", "/v1/benchmarks") == 200)
            let revoke = try Self.run(f.farm, ["token", "revoke", viewer.id])
            #expect(revoke.status == 0 && revoke.stdout.contains("revoked"), "\(revoke.stderr)")
            let refused = try await asViewer.send("GET", "/v1/benchmarks", allow: Set(400..<600))
            #expect(refused.status == 401 && String(decoding: refused.body, as: UTF8.self).contains("revoked"))
            let listed = try Self.run(f.farm, ["token", "list"])
            #expect(listed.stdout.split(separator: "\n").contains { $0.contains(viewer.id) && $0.contains("revoked") }, "\(listed.stdout)")

            // An agent credential, warm in a second scheduler's cache, revoked through the first.
            let portB = try FreePort.find()
            try await f.farm.launchScheduler(port: portB)
            let (_, a3) = try await f.farm.apiClients(enrolling: "a3", hardware: HostileInputTests.hardware)
            let viaB = try RoostClient(scheduler: "http://127.0.0.1:\(portB)", credential: a3.credential)
            #expect(try await Self.status(viaB, "POST", "/v1/agents/heartbeat", "{}") == 204)
            let agentRevoke = try Self.run(f.farm, ["agent", "revoke", "a3"])
            let revokedAt = ContinuousClock.now
            #expect(agentRevoke.status == 0 && agentRevoke.stdout.contains("revoked"), "\(agentRevoke.stderr)")
            #expect(try await Self.status(a3, "POST", "/v1/jobs/lease", #"{"waitSeconds":0}"#) == 401, "the revoking scheduler still served the agent")
            var refusedAfter: Duration?
            while refusedAfter == nil, ContinuousClock.now - revokedAt < .seconds(10) {
                if try await Self.status(viaB, "POST", "/v1/agents/heartbeat", "{}") == 401 { refusedAfter = ContinuousClock.now - revokedAt }
                else { try await Task.sleep(for: .milliseconds(100)) }
            }
            let after = try #require(refusedAfter, "the other scheduler still served a revoked agent after 10 s")
            #expect(after < .milliseconds(5300), "revocation took \(after) to reach the other scheduler")
            #expect(try await FarmSnapshot.scalar(f.url, "SELECT coalesce(credential_hash, 'none') FROM agents WHERE name = 'a3'") == "none")

            // Expiry: a 2 s token works, then is refused as expired.
            let short = try Self.create(f.farm, role: "viewer", name: "short", expires: "2s")
            let asShort = try Self.client(f.farm, short.secret)
            #expect(try await Self.status(asShort, "GET", "/v1/models") == 200)
            try await Task.sleep(for: .milliseconds(2500))
            let expired = try await asShort.send("GET", "/v1/models", allow: Set(400..<600))
            #expect(expired.status == 401 && String(decoding: expired.body, as: UTF8.self).contains("expired"))
            let listedAgain = try Self.run(f.farm, ["token", "list"])
            #expect(listedAgain.stdout.split(separator: "\n").contains { $0.contains(short.id) && $0.contains("expired") }, "\(listedAgain.stdout)")
        }
    }

    @Test func badTokenCommandsFailClearlyAndTheAdminTokenRotates() async throws {
        try await HostileInputTests.withFarm(jobs: 0) { f in
            let cases: [([String], String)] = [
                (["token", "create", "--role", "boss"], "unknown role"),
                (["token", "create", "--role", "viewer", "--expires", "soon"], "duration"),
                (["token", "create"], "--role"),
                (["token", "revoke", "not-an-id"], "not a token id"),
                (["token", "revoke", UUID().uuidString], "404"),
                (["agent", "revoke", "nobody"], "404"),
            ]
            for (arguments, message) in cases {
                let out = try Self.run(f.farm, arguments)
                #expect(out.status != 0 && out.stderr.contains(message), "\(arguments): \(out.status) \(out.stderr)")
            }
            // The bootstrap token is the last admin: not revocable until another exists.
            let listed = try RoostJSON.decoder().decode([APITokenInfo].self, from: Data(try Self.run(f.farm, ["token", "list", "--json"]).stdout.utf8))
            let bootstrap = try #require(listed.first { $0.name == "admin.token" && $0.role == .admin })
            let last = try Self.run(f.farm, ["token", "revoke", bootstrap.id])
            #expect(last.status != 0 && last.stderr.contains("409"), "\(last.stderr)")
            // Rotation: a new admin token, then the old one revoked; the old file's token is refused.
            let next = try Self.create(f.farm, role: "admin", name: "rotated")
            let rotated = try Self.run(f.farm, ["token", "revoke", bootstrap.id], as: next.secret)
            #expect(rotated.status == 0, "\(rotated.stderr)")
            let old = try Self.run(f.farm, ["agent", "list"])
            #expect(old.status != 0 && old.stderr.contains("401") && old.stderr.contains("revoked"), "\(old.stderr)")
            #expect(try Self.run(f.farm, ["agent", "list"], as: next.secret).status == 0)
            // A restart does not bring the revoked bootstrap token back.
            f.farm.stopScheduler()
            try await f.farm.startScheduler()
            #expect(try Self.run(f.farm, ["agent", "list"]).status != 0)
            #expect(try Self.run(f.farm, ["agent", "list"], as: next.secret).status == 0)
        }
    }
}
