import Foundation
import Testing
import RoostCore
import RoostTestSupport

/// Quiet hosts and reruns as the real processes do them: the worker pins
/// itself to the CPUs the agent gives it, and `roost bench local` (the agents'
/// harness) reruns a run spoiled by a busy loop and still calls it INVALID.
@Suite(.serialized) struct TrustworthyResultsCLITests {
    static func allowedCPUs() -> [Int] {
        let line = (try? String(contentsOfFile: "/proc/self/status", encoding: .utf8))?
            .split(separator: "\n").first { $0.hasPrefix("Cpus_allowed_list:") }
        var out: [Int] = []
        for part in (line?.split(separator: "\t").last ?? "0").split(separator: ",") {
            let b = part.split(separator: "-").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
            if let lo = b.first { out += Array(lo...(b.last ?? lo)) }
        }
        return out
    }

    @Test func theWorkerPinsItselfToTheBenchmarkCPUs() throws {
        let home = try TestEnvironment.temporaryDirectory("roost-pin")
        defer { try? FileManager.default.removeItem(at: home) }
        let cpu = try #require(Self.allowedCPUs().last)
        let request = home.appendingPathComponent("request.json"), result = home.appendingPathComponent("result.json")
        // No artifact: the worker fails at once, and its error result still says where it ran.
        try CanonicalJSON.encode(WorkerRequestStub(artifactPath: home.appendingPathComponent("missing.roost").path)).write(to: request)
        let run = try RoostProcess.run(["agent", "worker", "--request", request.path, "--result", result.path, "--cpus", String(cpu)], home: home)
        #expect(run.status == 0, "\(run.stderr)")
        let r = try CanonicalJSON.decode(BenchmarkResult.self, from: Data(contentsOf: result))
        #expect(r.environment.cpuAffinity == [cpu])

        let bad = try RoostProcess.run(["agent", "worker", "--request", request.path, "--result", result.path, "--cpus", "none"], home: home)
        #expect(bad.status != 0)
        #expect(bad.stderr.contains("--cpus 'none' names no CPU"), "\(bad.stderr)")
    }

    @Test func aBusyLoopOnTheBenchmarkCPUsIsInvalidAfterEveryRerun() throws {
        let home = try TestEnvironment.temporaryDirectory("roost-busy")
        defer { try? FileManager.default.removeItem(at: home) }
        let model = try ShippedModels.mlp(in: home.appendingPathComponent("models"))
        let spinners = try Self.allowedCPUs().map { cpu in
            try ChildProcess("/usr/bin/taskset", ["-c", String(cpu), "/bin/sh", "-c", "while :; do :; done"])
        }
        defer { for s in spinners { s.stop(grace: 1) } }
        let run = try RoostProcess.run(["bench", "local", model.path, "--json"], home: home)
        #expect(run.status == 0, "\(run.stderr)")
        let r = try CanonicalJSON.decode(BenchmarkResult.self, from: Data(run.stdout.utf8))
        #expect(r.validity?.valid == false)
        #expect(r.validity?.reasons.contains { $0.hasPrefix("other processes used") } == true, "\(r.validity?.reasons ?? [])")
        let tries = try #require(r.tries)
        #expect(tries.tries.count == 3, "\(tries.tries.map { $0.validity?.reasons ?? [] })")
        #expect(tries.tries.allSatisfy { ($0.environment.otherCPUFraction ?? 0) > 0.1 })
        #expect(tries.reported == 3)
    }
}

/// The fields of a worker request this test needs (the type lives in RoostBench).
private struct WorkerRequestStub: Codable {
    var artifactPath: String
    var engine = "native"
    var spec = BenchmarkSpec(profile: .quick)
    var inputSeed: UInt64 = 42
    var threads = 1
}
