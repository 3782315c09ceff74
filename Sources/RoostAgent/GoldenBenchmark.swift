import Foundation
import RoostCore

/// The health check's fixed workload: one seeded 32×256 · 256×256 GEMM, built
/// here as an artifact for this agent's own target (no compiler needed on the
/// agent) and run by the normal worker, so a slower BLAS, a throttled CPU or a
/// noisy neighbour shows up exactly as it would in a job. Deterministic: the same
/// bytes on every start, so each check compares like with like.
public enum GoldenBenchmark {
    /// Name and version: samples compare only with a baseline of the same name.
    public static let name = "golden-gemm-v1"
    static let m = 32, k = 256, n = 256

    public static func artifact(for target: TargetSpec) -> Artifact {
        let weights = HostTensor.seeded(shape: [k, n], seed: 2026).data
        let plan = ExecutionPlan(
            values: [
                PlanValue(id: 0, name: "x", shape: [m, k], storage: .arena, offset: 0),
                PlanValue(id: 1, name: "w", shape: [k, n], storage: .weights, offset: 0),
                PlanValue(id: 2, name: "y", shape: [m, n], storage: .arena, offset: m * k),
            ],
            inputs: [PlanIO(name: "x", valueID: 0)], outputs: [PlanIO(name: "y", valueID: 2)],
            steps: [PlanStep(kernel: "gemm", inputs: [0, 1], outputs: [2],
                             attributes: ["m": .int(m), "k": .int(k), "n": .int(n), "transA": .int(0), "transB": .int(0),
                                          "alpha": .float(1), "beta": .float(0)],
                             origin: name)],
            arenaElements: m * k + m * n)
        let header = ArtifactHeader(compilerVersion: RoostVersion.compiler, target: target,
                                    modelSHA256: Digest.sha256Hex(of: Data(name.utf8)), modelName: name)
        return Artifact(header: header, plan: plan, weights: weights)
    }

    /// Writes the artifact under `directory` (once per target) and returns its path.
    public static func write(for target: TargetSpec, in directory: URL) throws -> URL {
        let file = directory.appendingPathComponent("\(name)-\(target.signature.prefix(16)).roost")
        if FileManager.default.fileExists(atPath: file.path) { return file }
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try ArtifactCodec.encode(artifact(for: target)).write(to: file, options: .atomic)
        return file
    }
}
