import Foundation
import Testing
import RoostCompiler
import RoostCore
import RoostONNX
@testable import RoostBench

/// An engine that counts calls and sleeps a fixed time, to check the harness's rules.
final class CountingEngine: InferenceEngine {
    let name = "counting", version = "1"
    var arenaBytes: Int? { nil }
    var inputShapes: [[Int]] { [] }
    var calls = 0
    let delay: Double
    init(delay: Double) { self.delay = delay }
    func prepare(inputs: [HostTensor]) throws {}
    func runOnce() throws { calls += 1; if delay > 0 { Thread.sleep(forTimeInterval: delay) } }
    func outputs() -> [HostTensor] { [] }
    func describe(into environment: inout RunEnvironment) { environment.engine = name }
}

@Suite struct HarnessTests {
    @Test func meetsBothMinimumCountAndTime() throws {
        let engine = CountingEngine(delay: 0)
        let spec = BenchmarkSpec(warmupSeconds: 0, warmupIterations: 5, minSeconds: 0.05, minIterations: 300, maxSeconds: 10)
        let m = try Harness(spec: spec).measure(engine)
        #expect(m.samplesMs.count >= 300)
        #expect(m.wallSeconds >= 0.05)
        // Warm-up ran at least its 5 iterations before the timed phase.
        #expect(engine.calls >= m.samplesMs.count * m.iterationsPerSample + 5)
    }

    @Test func slowEngineStopsAtMaxSeconds() throws {
        let engine = CountingEngine(delay: 0.02)
        let spec = BenchmarkSpec(warmupSeconds: 0, warmupIterations: 1, minSeconds: 0.1, minIterations: 1_000_000, maxSeconds: 0.3)
        let m = try Harness(spec: spec).measure(engine)
        #expect(m.samplesMs.count < 1000)
        #expect(m.wallSeconds < 1.0)
        #expect(m.samplesMs.allSatisfy { $0 >= 19 })
    }

    @Test func workerTurnsAMissingArtifactIntoAnErrorResult() {
        let r = Worker.run(WorkerRequest(artifactPath: "/nonexistent/x.roost", spec: .quick))
        #expect(r.status == .error)
        #expect(r.errorMessage?.isEmpty == false)
    }

    @Test func workerMeasuresACompiledModel() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("roost-worker-\(UUID())")
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = try ReferenceSuite.write(ReferenceSuite.models[0], to: dir, seed: 1)
        let artifact = try Compiler().compile(modelAt: url, target: TargetSpec(isa: .x86_64_avx2, blasCoreType: nil, threads: 1))
        let file = dir.appendingPathComponent("m.roost")
        try ArtifactCodec.encode(artifact).write(to: file)
        let spec = BenchmarkSpec(warmupSeconds: 0, warmupIterations: 2, minSeconds: 0.05, minIterations: 20, maxSeconds: 5)
        let r = Worker.run(WorkerRequest(artifactPath: file.path, spec: spec))
        #expect(r.status == .succeeded, "\(r.errorMessage ?? "")")
        let s = try #require(r.statistics)
        #expect(s.count == r.samplesMs.count && s.count >= 20)
        #expect(s.p50 > 0 && s.p50 <= s.p99)
        #expect(r.environment.blasCore?.isEmpty == false)
        #expect(r.environment.blasThreads == 1)
        #expect((r.environment.peakRSSBytes ?? 0) > 0)
    }
}
