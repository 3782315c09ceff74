import Foundation
import Logging
import PostgresNIO
import Testing
import RoostClient
import RoostCore
import RoostStore
import RoostTestDatabase
import RoostTestSupport

/// PostgreSQL, the scheduler and two agents as separate processes on loopback:
/// enroll, queue, wait, then check the result rows and the report.
@Suite(.serialized, .enabled(if: TestDatabase.isAvailable, TestDatabase.skipReason))
struct FarmEndToEndTests {
    @Test func enrollQueueBenchmarkAndReport() async throws {
        try await TestDatabase.withFreshDatabase { url in
            let home = try TestEnvironment.temporaryDirectory("roost-it")
            var procs: [RoostProcess] = []
            defer { for p in procs { p.stop() }; try? FileManager.default.removeItem(at: home) }

            // Scheduler.
            let port = 18000 + Int.random(in: 0..<2000)
            let scheduler = "http://127.0.0.1:\(port)"
            procs.append(try RoostProcess(["scheduler", "serve", "--database-url", url.description, "--port", String(port)], home: home))
            let probe = try RoostClient(scheduler: scheduler, credential: nil)
            var up = false
            for _ in 0..<300 where !up {
                up = (try? await probe.send("GET", "/health")) != nil
                if !up { try await Task.sleep(for: .milliseconds(100)) }
            }
            try #require(up, "scheduler did not start: \(procs[0].log)")
            let adminFile = home.appendingPathComponent("admin.token")
            let mode = try FileManager.default.attributesOfItem(atPath: adminFile.path)[.posixPermissions] as? Int
            #expect(mode == 0o600)

            // Unauthenticated and wrongly authenticated calls get 401 with a JSON error.
            let noAuth = try await probe.send("GET", "/v1/agents", allow: [401])
            #expect(noAuth.status == 401)
            #expect(try RoostJSON.decoder().decode(APIErrorBody.self, from: noAuth.body).error.contains("admin"))

            // A wrong enrollment token is refused, by the CLI with a clear message and non-zero exit.
            let bad = try RoostProcess.run(["agent", "enroll", "--scheduler", scheduler, "--token", "enroll_wrong", "--name", "intruder"], home: home)
            #expect(bad.status != 0)
            #expect(bad.stderr.contains("401") && bad.stderr.contains("invalid"), "\(bad.stderr)")

            // Two agents that differ: 1 CPU vs 2 CPUs.
            for (name, cpus) in [("it-small", 1), ("it-large", 2)] {
                let token = try RoostProcess.run(["token", "create", "--enroll", "--expires", "10m", "--scheduler", scheduler], home: home)
                #expect(token.status == 0, "\(token.stderr)")
                let profile = home.appendingPathComponent("\(name).json")
                try Data(#"{"tags": {"suite": "it"}, "pricePerHour": \#(Double(cpus) * 0.1), "cpus": \#(cpus)}"#.utf8).write(to: profile)
                let enroll = try RoostProcess.run(["agent", "enroll", "--scheduler", scheduler, "--token", token.stdout.trimmingCharacters(in: .whitespacesAndNewlines),
                                                   "--name", name, "--profile", profile.path, "--tag", "role=\(name)"], home: home)
                #expect(enroll.status == 0, "\(enroll.stderr)")
                let creds = home.appendingPathComponent("agents/\(name).json")
                #expect((try FileManager.default.attributesOfItem(atPath: creds.path)[.posixPermissions] as? Int) == 0o600)
                procs.append(try RoostProcess(["agent", "run", "--name", name, "--exit-when-idle", "120"], home: home))
            }
            // A token is single-use: reusing one fails.

            // An enrolled agent is offline until its `agent run` says hello (after probing
            // the machine and its engines: seconds on a loaded 2-CPU host); queue only once
            // both are active, or the benchmark targets only the first.
            let deadline = Date().addingTimeInterval(120)
            var active: Set<String> = []
            while active != ["it-small", "it-large"], Date() < deadline {
                let list = try RoostProcess.run(["agent", "list", "--json", "--scheduler", scheduler], home: home)
                let rows = (try? JSONSerialization.jsonObject(with: Data(list.stdout.utf8))) as? [[String: Any]] ?? []
                active = Set(rows.filter { $0["state"] as? String == "active" }.compactMap { $0["name"] as? String })
                if active != ["it-small", "it-large"] { try await Task.sleep(for: .milliseconds(250)) }
            }
            #expect(active == ["it-small", "it-large"], "agents not active after 120 s:\n\(procs.map(\.log).joined(separator: "\n---\n"))")

            // Queue the shipped MLP and wait.
            let models = home.appendingPathComponent("models")
            let gen = try RoostProcess.run(["models", "generate", "--out", models.path], home: home)
            #expect(gen.status == 0, "\(gen.stderr)")
            // Both engines when this machine has ONNX Runtime (CI does: make venv).
            let withORT = TestEnvironment.onnxRuntimePython != nil
            // A GPU engine no agent here offers is refused when queueing, naming what is missing.
            let noGPU = try RoostProcess.run(["bench", "queue", models.appendingPathComponent("mlp-mnist/model.onnx").path,
                                              "--targets", "suite=it", "--engines", "onnxruntime-cuda", "--scheduler", scheduler], home: home)
            #expect(noGPU.status != 0 && noGPU.stderr.contains("onnxruntime-cuda") && noGPU.stderr.contains("no matching agent"), "\(noGPU.stderr)")
            let queue = try RoostProcess.run(["bench", "queue", models.appendingPathComponent("mlp-mnist/model.onnx").path,
                                              "--targets", "suite=it", "--wait", "--json", "--min-seconds", "0.3",
                                              "--engines", withORT ? "native,onnxruntime" : "native", "--scheduler", scheduler], home: home, timeout: 300)
            #expect(queue.status == 0, "\(queue.stderr)\n\(procs.map(\.log).joined(separator: "\n---\n"))")
            let status = try RoostJSON.decoder().decode(BenchmarkStatus.self, from: Data(queue.stdout.utf8))
            #expect(status.jobs.count == (withORT ? 4 : 2))
            #expect(status.jobs.allSatisfy { $0.state == "succeeded" }, "\(status.jobs.map { "\($0.target.label): \($0.state) \($0.errorMessage ?? "")" })")
            #expect(Set(status.jobs.map(\.target.engine)) == (withORT ? ["native", "onnxruntime"] : ["native"]))
            #expect(Set(status.jobs.compactMap(\.agentName)) == ["it-small", "it-large"])

            // The result rows, straight from PostgreSQL.
            try await PostgresStore.with(url, logger: Logger(label: "it")) { store in
                let rows = try await store.client.query("""
                    SELECT a.name, r.engine, r.sample_count, cardinality(r.samples_ms), r.p50_ms, r.p99_ms, r.environment->>'blasCore',
                           (r.environment->>'blasThreads')::int, (r.accuracy->>'passed')::boolean, r.accuracy->>'referenceSource'
                    FROM results r JOIN agents a ON a.id = r.agent_id WHERE r.engine = 'native' ORDER BY a.name
                    """)
                var seen: [String: Int] = [:]
                for try await (name, engine, count, stored, p50, p99, core, threads, accurate, source) in rows.decode((String, String, Int, Int, Double, Double, String?, Int?, Bool?, String?).self) {
                    #expect(engine == "native")
                    #expect(count >= 200 && stored == count)
                    #expect(p50 > 0 && p99 >= p50)
                    #expect(core?.isEmpty == false)
                    // The shipped model's test data travelled with it as the accuracy reference.
                    #expect(accurate == true && source == "user")
                    seen[name] = threads
                }
                #expect(seen == ["it-large": 2, "it-small": 1])
                if withORT {
                    let ort = try await store.client.query("SELECT count(*), bool_and((accuracy->>'passed')::boolean) FROM results WHERE engine = 'onnxruntime'")
                    for try await (n, ok) in ort.decode((Int, Bool?).self) { #expect(n == 2 && ok == true) }
                }
                // The agent's own CPU time beside its worker (heartbeats, HTTP) is stated, not hidden.
                let overhead = try await store.client.query("SELECT (environment->>'agentCPUSeconds')::float8 FROM results")
                for try await seconds in overhead.decode(Double?.self) {
                    let s = try #require(seconds, "a result without the agent's CPU time")
                    #expect(s >= 0 && s < 30)
                }
            }

            // The report lists both agents, fastest marked.
            let report = try RoostProcess.run(["report", "--model", "mlp-mnist", "--format", "json", "--scheduler", scheduler], home: home)
            #expect(report.status == 0, "\(report.stderr)")
            let md = try RoostProcess.run(["report", "--model", status.model.sha256, "--scheduler", scheduler], home: home)
            #expect(md.stdout.contains("it-small") && md.stdout.contains("it-large") && md.stdout.contains("**Recommendation**"))
            let missing = try RoostProcess.run(["report", "--model", "no-such-model", "--scheduler", scheduler], home: home)
            #expect(missing.status != 0 && missing.stderr.contains("404"))

            // Constraints nothing meets: the report says so and why, per target.
            let strict = try RoostProcess.run(["report", "--model", "mlp-mnist", "--max-p99-ms", "0.000001", "--include-invalid", "--scheduler", scheduler], home: home)
            #expect(strict.status == 0, "\(strict.stderr)")
            #expect(strict.stdout.contains("No target meets the constraints") && strict.stdout.contains("p99"), "\(strict.stdout)")
            let badFlag = try RoostProcess.run(["report", "--model", "mlp-mnist", "--objective", "vibes", "--scheduler", scheduler], home: home)
            #expect(badFlag.status != 0 && badFlag.stderr.contains("--objective"))

            // A second benchmark of the same model: the report compares each row with its previous result.
            let again = try RoostProcess.run(["bench", "queue", models.appendingPathComponent("mlp-mnist/model.onnx").path,
                                              "--targets", "suite=it", "--wait", "--json", "--min-seconds", "0.3", "--scheduler", scheduler], home: home, timeout: 300)
            #expect(again.status == 0, "\(again.stderr)")
            func history(_ args: [String]) throws -> [String: Any]? {
                let r = try RoostProcess.run(["report", "--model", "mlp-mnist", "--format", "json", "--scheduler", scheduler] + args, home: home)
                #expect(r.status == 0, "\(r.stderr)")
                let doc = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any]
                return (doc?["reports"] as? [[String: Any]])?.first?["history"] as? [String: Any]
            }
            let previous = try history([])
            #expect((previous?["changes"] as? [Any])?.count == 2, "\(String(describing: previous))")
            let explicit = try history(["--compare-to", status.benchmarkID])
            #expect((explicit?["changes"] as? [Any])?.isEmpty == false, "\(String(describing: explicit))")
            let notAnID = try RoostProcess.run(["report", "--model", "mlp-mnist", "--compare-to", "yesterday", "--scheduler", scheduler], home: home)
            #expect(notAnID.status != 0 && notAnID.stderr.contains("benchmark id"), "\(notAnID.stderr)")

            // --all as CSV: a header and one line per matrix row.
            let csv = try RoostProcess.run(["report", "--all", "--format", "csv", "--scheduler", scheduler], home: home)
            #expect(csv.status == 0, "\(csv.stderr)")
            let lines = csv.stdout.split(whereSeparator: \.isNewline)
            #expect(lines.first?.contains("p50") == true)
            #expect(lines.count == 1 + (withORT ? 4 : 2), "\(csv.stdout)")
        }
    }
}
