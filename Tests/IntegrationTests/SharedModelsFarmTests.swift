import Foundation
import Logging
import PostgresNIO
import Testing
import RoostCore
import RoostStore
import RoostTestDatabase
import RoostTestSupport

/// Every reference model in ../shared/models through the farm: the scheduler
/// compiles it once per distinct agent target, both agents benchmark the
/// artifact with both engines, and every output matches ONNX Runtime's
/// `test_data_set_0` (rtol 1e-3, atol 1e-4, the accuracy gate's tolerance).
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
            let engines: Set<String> = withORT ? ["native", "onnxruntime"] : ["native"]
            if !withORT { print("SharedModelsFarmTests: ONNX Runtime is not in .venv (run `make venv`); the native engine only") }

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
            if withORT { #expect(report.stdout.contains("onnxruntime") && report.stdout.contains("native")) }
        }
    }
}
