import Foundation
import RoostCore
import RoostProbe
import RoostRuntime

/// What the agent hands its worker process: one artifact, one engine, one spec.
public struct WorkerRequest: Codable, Sendable {
    /// A `.roost` artifact (native engine) or an ONNX model (every other engine).
    public var artifactPath: String
    public var engine: String
    public var spec: BenchmarkSpec
    /// Seed for synthetic inputs when there is no reference data.
    public var inputSeed: UInt64
    /// The target the job was compiled for; an artifact for any other is refused.
    public var expectedTargetSignature: String?
    /// A `ReferenceData` JSON file: inputs to run and outputs to match.
    public var referencePath: String?
    /// Intra-op threads for engines that are not compiled (onnxruntime, openvino, …).
    public var threads: Int

    public init(artifactPath: String, engine: String = "native", spec: BenchmarkSpec, inputSeed: UInt64 = 42,
                expectedTargetSignature: String? = nil, referencePath: String? = nil, threads: Int = 1) {
        self.artifactPath = artifactPath
        self.engine = engine
        self.spec = spec
        self.inputSeed = inputSeed
        self.expectedTargetSignature = expectedTargetSignature
        self.referencePath = referencePath
        self.threads = threads
    }
}

/// Runs one benchmark end to end inside the worker process: load, first
/// inference (cold start), accuracy gate, warm-up, measurement under the
/// environment monitor, statistics and validity. Failures become error results.
public enum Worker {
    public static func run(_ request: WorkerRequest) -> BenchmarkResult {
        var env = RunEnvironment()
        let cpus = CPUAffinity.current()
        env.cpuAffinity = cpus
        env.kernel = uname().release
        env.hostname = ProcessInfo.processInfo.hostName
        do {
            let clock = ContinuousClock()
            let loadStart = clock.now
            let engine = try makeEngine(request)
            let loadMs = Harness.seconds(clock.now - loadStart) * 1000
            env.artifactLoadMs = loadMs

            let reference = try request.referencePath.map { path in
                try CanonicalJSON.decode(ReferenceData.self, from: Data(contentsOf: URL(fileURLWithPath: path)))
            }
            let inputs = try reference.map { try $0.inputs.map { try $0.tensor() } }
                ?? engine.inputShapes.enumerated().map { i, shape in HostTensor.seeded(shape: shape, seed: request.inputSeed &+ UInt64(i)) }
            try engine.prepare(inputs: inputs)
            let first = try Harness.timed(engine, count: 1)[0]
            let accuracy = try reference.map { ref in
                AccuracyCheck.compare(try engine.outputs(), try ref.outputs.map { try $0.tensor() },
                                      rtol: request.spec.accuracyRTol, atol: request.spec.accuracyATol, source: ref.source)
            }

            let monitor = EnvironmentMonitor(cpus: cpus, helpers: engine.helperProcessIDs)
            let onGPU = EngineCatalog.descriptor(named: request.engine)?.device == .gpu
            var gpuSource: (any GPUTelemetrySource)?
            if onGPU {
                if let replay = RecordedGPUTelemetry.fromEnvironment() { gpuSource = replay } else { gpuSource = NvidiaSMISampler() }
            }
            let energy = EnergyMeter(gpu: gpuSource)
            monitor.start()
            energy.start()
            let m = try Harness(spec: request.spec).measure(engine)
            let inferences = m.samplesMs.count * m.iterationsPerSample * (request.spec.scenario == .offline ? request.spec.batch : 1)
            energy.stop(into: &env, inferences: inferences, measuredSeconds: m.wallSeconds)
            monitor.stop(into: &env)
            engine.describe(into: &env)
            env.peakRSSBytes = peakRSS()

            let stats = SampleAnalysis.analyze(samplesMs: m.samplesMs, wallSeconds: m.wallSeconds, seed: request.spec.seed)
            var metrics = m.metrics ?? ScenarioMetrics()
            if request.spec.scenario == .coldStart {
                metrics.loadMs = loadMs
                metrics.firstInferenceMs = first
            }
            let validity = ValidityRules.evaluate(spec: request.spec, statistics: stats, wallSeconds: m.wallSeconds, environment: env, accuracy: accuracy)
            return BenchmarkResult(status: .succeeded, statistics: stats, samplesMs: m.samplesMs, environment: env, scenario: request.spec.scenario, validity: validity,
                                   accuracy: accuracy, scenarioMetrics: metrics)
        } catch {
            return .failure(String(describing: error), environment: env)
        }
    }

    static func makeEngine(_ request: WorkerRequest) throws -> any InferenceEngine { try EngineFactory.make(request) }

    static func uname() -> (sysname: String, release: String) {
        var u = utsname()
        _ = Glibc.uname(&u)
        func str<T>(_ v: T) -> String { withUnsafeBytes(of: v) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) } }
        return (str(u.sysname), str(u.release))
    }

    /// Peak resident set size of this process (VmHWM), in bytes.
    static func peakRSS() -> Int? {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return nil }
        for line in status.split(separator: "\n") where line.hasPrefix("VmHWM:") {
            return line.split(separator: " ").compactMap { Int($0) }.first.map { $0 * 1024 }
        }
        return nil
    }
}
