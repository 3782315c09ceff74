import Foundation
import Testing
import RoostClient
import RoostCore
import RoostONNX
import RoostTestDatabase
import RoostTestSupport

/// The CI gate as a pipeline uses it, through real processes: a labelled
/// baseline, a deliberately slowed model (extra layers) that exits 3 with a
/// JUnit failure per regressed target, the unchanged model that exits 0, and a
/// model whose reference outputs are wrong that exits 4. Then every response
/// the scheduler gave for these benchmarks is checked against docs/openapi.json.
@Suite(.serialized, .enabled(if: TestDatabase.isAvailable, TestDatabase.skipReason))
struct CIGateTests {
    /// An MLP of `layers` 256×256 Gemm+Relu layers; `wrongReference` writes a
    /// test_data_set_0 whose expected output is not what the model computes.
    static func model(in dir: URL, name: String, layers: Int, wrongReference: Bool = false) throws -> URL {
        let folder = dir.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        var b = ModelBuilder(name: "gate-mlp")
        var x = b.input("input", shape: [1, 256])
        for l in 0..<layers {
            var w = HostTensor.seeded(shape: [256, 256], seed: UInt64(100 + l))
            w.data = w.data.map { $0 / 16 }
            let wn = b.initializer("fc\(l).weight", w), bn = b.initializer("fc\(l).bias", HostTensor(shape: [256], repeating: 0.01))
            x = b.node("Gemm", [x, wn, bn], attributes: ["transB": .int(1)])
            x = b.node("Relu", [x], output: l == layers - 1 ? "output" : nil)
        }
        b.output("output", shape: [1, 256])
        let url = folder.appendingPathComponent("gate-mlp.onnx")
        try b.serialized().write(to: url)
        if wrongReference {
            let data = folder.appendingPathComponent("test_data_set_0")
            try FileManager.default.createDirectory(at: data, withIntermediateDirectories: true)
            try TensorProtoCodec.write(HostTensor.seeded(shape: [1, 256], seed: 7), name: "input", to: data.appendingPathComponent("input_0.pb"))
            try TensorProtoCodec.write(HostTensor(shape: [1, 256], repeating: 42), name: "output", to: data.appendingPathComponent("output_0.pb"))
        }
        return url
    }

    /// (tests, failures, errors, names of failing cases) as python's xml.etree reads the file.
    static func junit(_ file: URL) throws -> (tests: Int, failures: Int, errors: Int, failing: [String]) {
        let script = """
            import json, sys, xml.etree.ElementTree as ET
            root = ET.parse(sys.argv[1]).getroot()
            cases = root.findall('.//testcase')
            print(json.dumps({"tests": len(cases), "failures": sum(1 for c in cases if c.find('failure') is not None),
                              "errors": sum(1 for c in cases if c.find('error') is not None),
                              "failing": [c.get('name') + ': ' + (c.find('failure').text or '') for c in cases if c.find('failure') is not None]}))
            """
        let out = try ProcessRunner().run("/usr/bin/env", ["python3", "-c", script, file.path], timeout: 30)
        guard out.status == 0 else { throw RoostError.io("python could not read \(file.path): \(out.stderr)") }
        struct Counts: Decodable { var tests: Int; var failures: Int; var errors: Int; var failing: [String] }
        let c = try JSONDecoder().decode(Counts.self, from: Data(out.stdout.utf8))
        return (c.tests, c.failures, c.errors, c.failing)
    }

    @Test func slowedModelExits3UnchangedExits0WrongOutputsExit4() async throws {
        try await TestDatabase.withFreshDatabase { url in
            let farm = try await TestFarm(databaseURL: url.description, prefix: "roost-gate")
            defer { farm.stop() }
            try farm.addAgent("gate-agent", profileJSON: #"{"tags": {"suite": "gate"}, "workerMemoryLimitMB": 1024}"#)
            let dir = farm.home.appendingPathComponent("models")
            // A baseline of a few microseconds moved by ×1.76 between two runs on a noisy
            // 2-CPU VM (thread wake-ups dominate it): 6 layers (~12 µs) against 48 (×8),
            // with a ×2.5 threshold, leave room on both sides.
            let base = try Self.model(in: dir, name: "base", layers: 6)
            let slow = try Self.model(in: dir, name: "slow", layers: 48)
            let wrong = try Self.model(in: dir, name: "wrong", layers: 3, wrongReference: true)  // its own digest
            // The quick profile in full (the gate wants valid results), with the variance and
            // outside-load limits opened up: this machine is shared by parallel builds.
            let common = ["--targets", "suite=gate", "--wait", "--json", "--max-cv", "10", "--max-p50-interval", "1", "--max-p99-interval", "100", "--max-dispersion", "100", "--max-drift", "10", "--max-other-cpu", "1",
                          "--threshold", "150%", "--scheduler", farm.scheduler]
            func run(_ model: URL, _ extra: [String]) throws -> (ProcessRunner.Output, BenchmarkStatus?) {
                let name = model == wrong ? "gate-wrong" : "gate-mlp"
                let out = try farm.roost(["bench", "queue", model.path, "--name", name] + common + extra, timeout: 600)
                return (out, try? RoostJSON.decoder().decode(BenchmarkStatus.self, from: Data(out.stdout.utf8)))
            }

            // 1. The baseline, as the main branch's pipeline would record it: no earlier run, so it passes.
            let j0 = farm.home.appendingPathComponent("baseline.xml"), s0 = farm.home.appendingPathComponent("baseline.md")
            let (first, baseline) = try run(base, ["--label", "branch=main", "--label", "commit=c0ffee", "--baseline", "branch=main",
                                                   "--fail-on-regression", "--junit", j0.path, "--summary", s0.path])
            #expect(first.status == 0, "\(first.stderr)\n\(farm.logs)")
            let baselineID = try #require(baseline?.benchmarkID, "\(first.stdout)\n\(first.stderr)")
            #expect(baseline?.labels == ["branch": "main", "commit": "c0ffee"])
            #expect(try Self.junit(j0).tests == 1)
            #expect(try String(contentsOf: s0, encoding: .utf8).contains("no baseline: no earlier benchmark of this model matches `branch=main`"))

            // 2. The slowed model against the newest main-branch benchmark: exit 3, one failing case.
            let j1 = farm.home.appendingPathComponent("slow.xml"), s1 = farm.home.appendingPathComponent("slow.md")
            let (slowed, slowStatus) = try run(slow, ["--label", "branch=feature", "--baseline", "branch=main", "--fail-on-regression",
                                                      "--junit", j1.path, "--summary", s1.path])
            #expect(slowed.status == 3, "\(slowed.stderr)\n\(farm.logs)")
            let report = try Self.junit(j1)
            #expect(report.tests == 1 && report.failures == 1 && report.errors == 0, "\(report)")
            #expect(report.failing.first?.contains("p50_ratio: ") == true, "\(report.failing)")
            #expect(report.failing.first?.contains("baseline_p50_ms: ") == true)
            let summary = try String(contentsOf: s1, encoding: .utf8)
            #expect(summary.hasPrefix("## Roost: gate-mlp — failed: 1 target(s) regressed"), "\(summary)")
            #expect(summary.contains("against baseline `\(baselineID)` (branch=main, commit=c0ffee)"))
            #expect(slowed.stderr.contains("regression: p50"))

            // 3. The unchanged model against the baseline by id: exit 0.
            let (same, sameStatus) = try run(base, ["--baseline", baselineID, "--fail-on-regression", "--label", "commit=c0ffee"])
            #expect(same.status == 0, "\(same.stderr)\n\(farm.logs)")

            // 4. Outputs that disagree with the reference: exit 4 (the JUnit case says why).
            let j2 = farm.home.appendingPathComponent("wrong.xml")
            let (wrongRun, _) = try run(wrong, ["--junit", j2.path])
            #expect(wrongRun.status == 4, "\(wrongRun.stderr)\n\(farm.logs)")
            let wrongReport = try Self.junit(j2)
            #expect(wrongReport.failures == 1 && wrongReport.failing.first?.contains("outputs differ from the reference") == true, "\(wrongReport)")

            // Usage errors exit 1, before anything is queued.
            let usage = try farm.roost(["bench", "queue", base.path, "--fail-on-regression", "--wait", "--scheduler", farm.scheduler])
            #expect(usage.status == 1 && usage.stderr.contains("--fail-on-regression needs --baseline"), "\(usage.stderr)")
            let badLabel = try farm.roost(["bench", "queue", base.path, "--label", "no-equals", "--scheduler", farm.scheduler])
            #expect(badLabel.status == 1 && badLabel.stderr.contains("must be key=value"), "\(badLabel.stderr)")
            let unknownFlag = try farm.roost(["bench", "queue", base.path, "--no-such-flag"])
            #expect(unknownFlag.status == 1, "\(unknownFlag.stderr)")

            // Labels are shown in bench status and in the report's history.
            let status = try farm.roost(["bench", "status", try #require(slowStatus?.benchmarkID), "--scheduler", farm.scheduler])
            #expect(status.stdout.contains("labels branch=feature"), "\(status.stdout)")
            let md = try farm.roost(["report", "--model", try #require(sameStatus?.model.sha256), "--scheduler", farm.scheduler])
            #expect(md.status == 0, "\(md.stderr)")
            #expect(md.stdout.contains("Labels: commit=c0ffee"), "\(md.stdout)")
            #expect(md.stdout.contains("Baseline labels: \(baselineID.prefix(8)): branch=main, commit=c0ffee"), "\(md.stdout)")

            try await checkResponsesAgainstTheContract(farm, benchmarks: [baselineID, try #require(slowStatus?.benchmarkID)])
        }
    }

    /// Responses the gate and the CLI rely on, successes and errors, against docs/openapi.json.
    func checkResponsesAgainstTheContract(_ farm: TestFarm, benchmarks: [String]) async throws {
        let contract = try OpenAPIContract()
        let token = try #require(RoostHome.readTrimmed(farm.home.appendingPathComponent("admin.token")))
        let admin = try RoostClient(scheduler: farm.scheduler, credential: token)
        let anonymous = try RoostClient(scheduler: farm.scheduler, credential: nil)
        let (baseline, current) = (benchmarks[0], benchmarks[1])
        let calls: [(RoostClient, String, String, String, [String: String])] = [
            (admin, "GET", "/v1/agents", "/v1/agents", [:]),
            (admin, "GET", "/v1/models", "/v1/models", [:]),
            (admin, "GET", "/v1/benchmarks", "/v1/benchmarks", [:]),
            (admin, "GET", "/v1/benchmarks/\(current)", "/v1/benchmarks/{id}", [:]),
            (admin, "GET", "/v1/benchmarks/\(current)/report", "/v1/benchmarks/{id}/report", ["baseline": baseline]),
            (admin, "GET", "/v1/benchmarks/\(current)/report", "/v1/benchmarks/{id}/report", ["baseline": "branch=main"]),
            (admin, "GET", "/v1/benchmarks/\(current)/report", "/v1/benchmarks/{id}/report", ["baseline": "not a label"]),
            (admin, "GET", "/v1/benchmarks/\(UUID().uuidString)/report", "/v1/benchmarks/{id}/report", [:]),
            (admin, "GET", "/v1/reports/gate-wrong", "/v1/reports/{model}", [:]),
            (admin, "GET", "/v1/reports/no-such-model", "/v1/reports/{model}", [:]),
            (admin, "GET", "/v1/benchmarks/not-an-id", "/v1/benchmarks/{id}", [:]),
            (anonymous, "GET", "/v1/benchmarks", "/v1/benchmarks", [:]),
            (anonymous, "GET", "/v1/openapi.json", "/v1/openapi.json", [:]),
            (admin, "POST", "/v1/agents/no-such-agent/drain", "/v1/agents/{name}/{action}", [:]),
            (admin, "POST", "/v1/benchmarks/\(UUID().uuidString)/cancel", "/v1/benchmarks/{id}/cancel", [:]),
        ]
        var statuses: [Int] = []
        for (client, method, path, template, query) in calls {
            let reply = try await client.send(method, path, query: query, allow: Set(400..<600))
            statuses.append(reply.status)
            let problems = contract.violations(method, template, status: reply.status, body: reply.body)
            #expect(problems.isEmpty, "\(problems.joined(separator: "\n"))")
        }
        #expect(statuses == [200, 200, 200, 200, 200, 200, 400, 404, 200, 404, 404, 401, 200, 404, 404], "\(statuses)")
        // The served document is the committed one.
        let served = try await anonymous.openAPIDocument()
        #expect(served == (try Data(contentsOf: URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("docs/openapi.json"))))
    }
}
