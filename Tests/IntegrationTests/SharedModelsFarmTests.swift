import Foundation
import Logging
import PostgresNIO
import Testing
import RoostCore
import RoostStore
import RoostTestDatabase
import RoostTestSupport

/// Every reference model in ../shared/models through the farm: the scheduler
/// compiles it once per distinct agent target, both agents benchmark it with
/// the native, ONNX Runtime and OpenVINO engines, and every output matches
/// ONNX Runtime's `test_data_set_0` (rtol 1e-3, atol 1e-4, the accuracy gate's
/// tolerance). The report has a row per agent × engine and recommends across
/// them; a GPU engine on this CPU-only farm is refused at queue time.
@Suite(.serialized, .enabled(if: TestDatabase.isAvailable, TestDatabase.skipReason),
       .enabled(if: TestEnvironment.hasSharedModels, TestEnvironment.sharedSkipReason))
struct SharedModelsFarmTests {
    static let models = ["mlp", "encoder4x256", "mobilenet_v2", "resnet18"]

    @Test func everySharedModelRunsThroughTheFarmOnBothAgents() async throws {
        try await TestDatabase.withFreshDatabase { url in
            let farm = try await TestFarm(databaseURL: url.description, prefix: "roost-shared")
            defer { farm.stop() }
            try farm.addAgent("sm-small", profileJSON: #"{"tags": {"suite": "shared"}, "pricePerHour": 0.05, "cpus": 1}"#)
            try farm.addAgent("sm-large", profileJSON: #"{"tags": {"suite": "shared"}, "pricePerHour": 0.10, "cpus": 2}"#)
            let withORT = TestEnvironment.onnxRuntimePython != nil
            let withOV = TestEnvironment.openVINOPython != nil
            var wanted: Set<String> = ["native"]
            if withORT { wanted.insert("onnxruntime") } else { print("SharedModelsFarmTests: ONNX Runtime is not in .venv (run `make venv`); skipping its engine") }
            if withOV { wanted.insert("openvino") } else { print("SharedModelsFarmTests: OpenVINO is not in .venv (run `make venv`); skipping its engine") }
            let engines = wanted

            for name in Self.models {
                let model = try #require(TestEnvironment.sharedModel(name)).appendingPathComponent("model.onnx")
                // Few queries: this test is about correctness through the farm, not timing.
                let (out, status) = try farm.queueAndWait(model, ["--targets", "suite=shared", "--min-seconds", "0.2", "--min-iterations", "20",
                                                                  "--engines", engines.sorted().joined(separator: ",")])
                #expect(out.status == 0, "\(name): \(out.stderr)\n\(farm.logs)")
                let s = try #require(status, "\(name): no status JSON: \(out.stdout)")
                #expect(s.jobs.count == 2 * engines.count, "\(name)")
                #expect(s.jobs.allSatisfy { $0.state == "succeeded" }, "\(name): \(s.jobs.map { "\($0.target.label) \($0.state) \($0.errorMessage ?? "")" })")
                #expect(Set(s.jobs.compactMap(\.agentName)) == ["sm-small", "sm-large"])
                #expect(Set(s.jobs.map(\.target.engine)) == engines)
            }

            try await PostgresStore.with(url, logger: Logger(label: "it")) { store in
                // Compiled once per distinct target (1 and 2 threads), whatever the engine count.
                let artifacts = try await store.client.query("""
                    SELECT m.name, count(*)::int, count(DISTINCT a.target_signature)::int FROM artifacts a JOIN models m ON m.sha256 = a.model_sha256
                    GROUP BY m.name ORDER BY m.name
                    """)
                var compiled: [String: Int] = [:]
                for try await (name, n, distinct) in artifacts.decode((String, Int, Int).self) {
                    #expect(n == distinct, "\(name): \(n) artifacts for \(distinct) targets")
                    compiled[name] = n
                }
                #expect(compiled == Dictionary(uniqueKeysWithValues: Self.models.map { ($0, 2) }))

                // Every result checked against the model's own ONNX Runtime outputs.
                let results = try await store.client.query("""
                    SELECT m.name, r.engine, a.name, (r.accuracy->>'passed')::boolean, r.accuracy->>'referenceSource',
                           (r.accuracy->>'maxAbsError')::float8, (r.accuracy->>'cosineSimilarity')::float8, r.sample_count
                    FROM results r JOIN jobs j ON j.id = r.job_id JOIN benchmarks b ON b.id = j.benchmark_id
                    JOIN models m ON m.sha256 = b.model_sha256 JOIN agents a ON a.id = r.agent_id
                    WHERE r.status = 'succeeded'
                    """)
                var seen = Set<String>()
                for try await (model, engine, agent, passed, source, maxAbs, cosine, count) in
                        results.decode((String, String, String, Bool?, String?, Double?, Double?, Int).self) {
                    #expect(passed == true && source == "user", "\(model)/\(engine)/\(agent): accuracy \(String(describing: passed)) from \(source ?? "nil")")
                    #expect((maxAbs ?? .infinity) < 1e-2 && (cosine ?? 0) > 0.9999, "\(model)/\(engine)/\(agent): max abs \(maxAbs ?? .nan), cosine \(cosine ?? .nan)")
                    #expect(count >= 5, "\(model)/\(engine)/\(agent): \(count) samples") // sub-ms models are timed in calibrated groups
                    seen.insert("\(model)/\(engine)/\(agent)")
                }
                #expect(seen.count == Self.models.count * engines.count * 2, "\(seen.sorted())")
            }

            // resnet18's report has a row per agent and engine.
            let report = try farm.roost(["report", "--model", "resnet18", "--format", "md", "--scheduler", farm.scheduler])
            #expect(report.status == 0, "\(report.stderr)")
            for agent in ["sm-small", "sm-large"] { #expect(report.stdout.contains(agent)) }
            for engine in engines { #expect(report.stdout.contains(engine)) }
            // These runs are far shorter than the quick profile's minimum, so every row is
            // INVALID (length); --include-invalid lets the ranking across engines show anyway.
            let json = try farm.roost(["report", "--model", "resnet18", "--format", "json", "--include-invalid", "--scheduler", farm.scheduler])
            #expect(json.status == 0, "\(json.stderr)")
            let doc = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
            let modelReport = try #require((doc["reports"] as? [[String: Any]])?.first)
            let rows = modelReport["rows"] as? [[String: Any]] ?? []
            let cells = Set(rows.compactMap { row -> String? in
                guard let key = row["key"] as? [String: Any], let a = key["agent"] as? String, let e = key["engine"] as? String else { return nil }
                return "\(a)/\(e)"
            })
            #expect(cells == Set(["sm-small", "sm-large"].flatMap { a in engines.map { "\(a)/\($0)" } }), "\(cells.sorted())")
            // The recommendation ranks every engine's rows together.
            let recommendation = try #require(modelReport["recommendation"] as? [String: Any])
            let best = try #require(recommendation["best"] as? [String: Any], "\(recommendation)")
            #expect(engines.contains { (best["label"] as? String ?? "").contains($0) }, "\(best)")
            if withOV {
                // OpenVINO's target carries its version; its compile time is recorded as the engine's cold start.
                #expect(rows.contains { ($0["target"] as? String ?? "").contains("/openvino 20") }, "\(rows.map { $0["target"] ?? "" })")
            }

            // An engine no matching agent has fails at queue time, naming what is missing.
            let model = try #require(TestEnvironment.sharedModel("mlp")).appendingPathComponent("model.onnx")
            let (gpu, gpuStatus) = try farm.queueAndWait(model, ["--targets", "suite=shared", "--engines", "native,onnxruntime-cuda"], timeout: 60)
            #expect(gpu.status != 0 && gpuStatus == nil)
            #expect(gpu.stderr.contains("no matching agent offers engine onnxruntime-cuda"), "\(gpu.stderr)")
            #expect(gpu.stderr.contains("gpu=nvidia") && gpu.stderr.contains("onnxruntime-gpu") && gpu.stderr.contains("sm-small: no nvidia GPU"), "\(gpu.stderr)")
            let unknown = try farm.roost(["bench", "queue", model.path, "--engines", "tensorflow", "--scheduler", farm.scheduler])
            #expect(unknown.status != 0 && unknown.stderr.contains("unknown engine 'tensorflow'"), "\(unknown.stderr)")
            let selector = try farm.roost(["bench", "queue", model.path, "--targets", "gpu.count>=1", "--scheduler", farm.scheduler])
            #expect(selector.status != 0 && selector.stderr.contains("no active or paused agent matches"), "\(selector.stderr)")
        }
    }
}
