import Foundation
import Logging
import RoostCompiler
import RoostCore
import RoostONNX
import RoostRuntime
import RoostStore

/// Compiles a model once per distinct target and caches the artifact by
/// (model digest, target signature, compiler version) in the store.
struct CompileService: Sendable {
    let store: any SchedulerStore
    let logger: Logger

    func artifact(for model: ModelInfo, target: TargetSpec) async throws -> String {
        if let cached = try await store.artifact(model: model.sha256, targetSignature: target.signature, compilerVersion: RoostVersion.compiler) {
            return cached.sha256
        }
        guard let content = try await store.modelContent(sha256: model.sha256) else { throw RoostError.notFound("model \(model.sha256)") }
        let start = ContinuousClock.now
        let artifact = try Compiler().compile(try ONNXModel(data: content), name: model.name, target: target)
        let bytes = ArtifactCodec.encode(artifact)
        let sha = Digest.sha256Hex(of: bytes)
        try await store.putArtifact(sha256: sha, model: model.sha256, target: target, compilerVersion: RoostVersion.compiler, content: bytes)
        logger.info("compiled artifact", metadata: [
            "model": "\(model.name)", "target": "\(target.label)", "artifact": "\(sha.prefix(12))",
            "bytes": "\(bytes.count)", "elapsed": "\(ContinuousClock.now - start)",
        ])
        return sha
    }

    /// The scheduler's reference path: when the user gave no test data, run the
    /// model once through a generic single-threaded build on seeded inputs and
    /// keep the outputs, so every agent's numbers pass the same accuracy gate.
    func ensureReference(for model: ModelInfo) async throws {
        if try await store.reference(model: model.sha256) != nil { return }
        guard let content = try await store.modelContent(sha256: model.sha256) else { return }
        let generic = TargetSpec(isa: .generic, blasCoreType: nil, threads: 1)
        do {
            let artifact = try Compiler().compile(try ONNXModel(data: content), name: model.name, target: generic)
            let session = try InferenceSession(artifact: artifact)
            let inputs = session.inputShapes.enumerated().map { i, shape in HostTensor.seeded(shape: shape, seed: 42 &+ UInt64(i)) }
            let outputs = try session.run(inputs)
            let reference = ReferenceData(
                source: "scheduler",
                inputs: zip(artifact.plan.inputs, inputs).map { WireTensor(name: $0.name, tensor: $1) },
                outputs: zip(artifact.plan.outputs, outputs).map { WireTensor(name: $0.name, tensor: $1) })
            try await store.putReference(model: model.sha256, reference)
        } catch {
            logger.warning("no reference outputs for model; its results carry no accuracy check", metadata: ["model": "\(model.name)", "error": "\(error)"])
        }
    }
}

/// Engines a benchmark may ask for.
enum EngineCatalog {
    static let known = ["native", "onnxruntime"]
}
