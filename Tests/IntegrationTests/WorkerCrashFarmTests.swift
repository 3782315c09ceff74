import Foundation
import Logging
import Testing
import RoostCore
import RoostONNX
import RoostStore
import RoostTestDatabase
import RoostTestSupport

/// A model that crashes its worker costs one `error` result, never the agent:
/// the same agent process goes on to benchmark the next model.
@Suite(.serialized, .enabled(if: TestDatabase.isAvailable, TestDatabase.skipReason))
struct WorkerCrashFarmTests {
    /// 1 x 1 input broadcast to 16384 x 16384 floats (1 GiB of arena), then summed:
    /// a valid model whose worker cannot allocate its arena under a 768 MiB cap.
    /// (Not 512: that address-space cap also holds the debug `roost` binary's
    /// mappings, and the golden GEMM's OpenBLAS buffers stopped fitting beside
    /// them once the client linked AsyncHTTPClient.)
    static func memoryHog() throws -> Data {
        var b = ModelBuilder(name: "memory-hog", opset: 17)
        let x = b.input("x", shape: [1, 1])
        let shape = b.node("Constant", [], attributes: ["value_ints": .ints([16384, 16384])])
        let big = b.node("Expand", [x, shape])
        b.node("ReduceSum", [big], output: "y", attributes: ["keepdims": .int(1)])
        b.output("y", shape: [1, 1])
        return try b.serialized()
    }

    @Test func aModelThatCrashesTheWorkerLeavesTheAgentAliveAndTheJobInError() async throws {
        try await TestDatabase.withFreshDatabase { url in
            let farm = try await TestFarm(databaseURL: url.description, prefix: "roost-crash")
            defer { farm.stop() }
            let agent = try farm.addAgent("crash-agent", profileJSON: #"{"tags": {"suite": "crash"}, "workerMemoryLimitMB": 768}"#)

            let hog = farm.home.appendingPathComponent("memory-hog.onnx")
            try Self.memoryHog().write(to: hog)
            let (out, status) = try farm.queueAndWait(hog, ["--targets", "suite=crash", "--min-seconds", "0.1", "--min-iterations", "5"])
            #expect(out.status != 0, "a benchmark whose only job failed must exit non-zero")
            let job = try #require(status?.jobs.first, "\(out.stdout)\n\(out.stderr)\n\(farm.logs)")
            #expect(job.state == "error", "\(job.state): \(job.errorMessage ?? "")")
            #expect(job.errorMessage?.contains("worker crashed with signal") == true, "\(job.errorMessage ?? "")")

            // Same agent process, next model: it still works.
            #expect(agent.child.isRunning, "the agent died with its worker:\n\(agent.log)")
            let mlp = try ShippedModels.mlp(in: farm.home.appendingPathComponent("models"))
            let (next, nextStatus) = try farm.queueAndWait(mlp,
                                                           ["--targets", "suite=crash", "--min-seconds", "0.2", "--min-iterations", "20"])
            #expect(next.status == 0, "\(next.stderr)\n\(farm.logs)")
            #expect(nextStatus?.jobs.map(\.state) == ["succeeded"])
            #expect(agent.child.isRunning)
        }
    }

    /// The scheduler's own reference for a model without test data is computed
    /// in a capped child: one that does not fit costs the child, not the scheduler.
    @Test func theSchedulersReferenceRunsInACappedChildProcess() async throws {
        try await TestDatabase.withFreshDatabase { url in
            let farm = try await TestFarm(databaseURL: url.description, prefix: "roost-reference",
                                          schedulerArguments: ["--reference-memory-limit-mb", "512"])
            defer { farm.stop() }
            _ = try farm.addAgent("reference-agent", profileJSON: #"{"tags": {"suite": "reference"}}"#)
            func sources() async throws -> [String: String] {
                try await PostgresStore.with(url, logger: Logger(label: "it")) { store in
                    let rows = try await store.client.query("SELECT m.name, r.source FROM model_references r JOIN models m ON m.sha256 = r.model_sha256")
                    var out: [String: String] = [:]
                    for try await (name, source) in rows.decode((String, String).self) { out[name] = source }
                    return out
                }
            }
            // An MLP alone (no test_data_set_0 beside it) gets the scheduler's reference.
            let mlp = try ShippedModels.mlp(in: farm.home.appendingPathComponent("models"))
            let alone = farm.home.appendingPathComponent("alone/mlp-alone.onnx")
            try FileManager.default.createDirectory(at: alone.deletingLastPathComponent(), withIntermediateDirectories: true)
            try FileManager.default.copyItem(at: mlp, to: alone)
            let queued = try farm.roost(["bench", "queue", alone.path, "--name", "mlp-alone", "--targets", "suite=reference", "--scheduler", farm.scheduler])
            #expect(queued.status == 0, "\(queued.stderr)")
            #expect(try await sources()["mlp-alone"] == "scheduler")

            // The 1 GiB-arena model does not fit in 512 MiB: no reference, the benchmark is still queued, the scheduler lives.
            let hog = farm.home.appendingPathComponent("memory-hog.onnx")
            try Self.memoryHog().write(to: hog)
            let hogQueued = try farm.roost(["bench", "queue", hog.path, "--targets", "suite=reference", "--scheduler", farm.scheduler])
            #expect(hogQueued.status == 0, "\(hogQueued.stderr)")
            #expect(try await sources()["memory-hog"] == nil)
            let log = farm.schedulerProcess?.log ?? ""
            #expect(log.contains("no reference outputs for model") && log.contains("reference worker ended"), "\(log)")
            #expect(farm.schedulerProcess?.child.isRunning == true)
        }
    }
}
