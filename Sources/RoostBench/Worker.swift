import Foundation
import RoostCore
import RoostProbe
import RoostRuntime

/// What the agent hands its worker process: one artifact, one spec.
public struct WorkerRequest: Codable, Sendable {
    public var artifactPath: String
    public var spec: BenchmarkSpec
    /// Seed for the synthetic input, identical on every agent.
    public var inputSeed: UInt64
    /// The target the job was compiled for; an artifact for any other is refused.
    public var expectedTargetSignature: String?
    public init(artifactPath: String, spec: BenchmarkSpec, inputSeed: UInt64 = 42, expectedTargetSignature: String? = nil) {
        self.artifactPath = artifactPath
        self.spec = spec
        self.inputSeed = inputSeed
        self.expectedTargetSignature = expectedTargetSignature
    }
}

/// Runs one benchmark end to end inside the worker process: load, warm up,
/// measure, capture the environment. Failures become error results, not crashes.
public enum Worker {
    public static func run(_ request: WorkerRequest) -> BenchmarkResult {
        var env = RunEnvironment()
        env.cpuAffinity = currentAffinity()
        env.kernel = uname().release
        env.hostname = ProcessInfo.processInfo.hostName
        do {
            let loadStart = ContinuousClock.now
            let data = try Data(contentsOf: URL(fileURLWithPath: request.artifactPath))
            let artifact = try ArtifactCodec.decode(data)
            if let expected = request.expectedTargetSignature, artifact.header.targetSignature != expected {
                throw RoostError.invalidArtifact("artifact is for target \(artifact.header.targetSignature) (\(artifact.header.target.label)), the job expects \(expected)")
            }
            try TargetCompatibility.check(artifact.header, host: HardwareProbe().probe())
            let engine = try NativeEngine(artifact: artifact)
            let load = ContinuousClock.now - loadStart
            env.artifactLoadMs = Double(load.components.attoseconds) * 1e-15 + Double(load.components.seconds) * 1000
            let inputs = engine.session.inputShapes.enumerated().map { i, shape in
                HostTensor.seeded(shape: shape, seed: request.inputSeed &+ UInt64(i))
            }
            try engine.prepare(inputs: inputs)
            let m = try Harness(spec: request.spec).measure(engine)
            engine.describe(into: &env)
            env.peakRSSBytes = peakRSS()
            let stats = LatencyStatistics(samplesMs: m.samplesMs, wallSeconds: m.wallSeconds)
            return BenchmarkResult(status: .succeeded, statistics: stats, samplesMs: m.samplesMs, environment: env)
        } catch {
            return .failure(String(describing: error), environment: env)
        }
    }

    static func currentAffinity() -> [Int] { CPUAffinity.current() }

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
            let kb = line.split(separator: " ").compactMap { Int($0) }.first
            return kb.map { $0 * 1024 }
        }
        return nil
    }
}
