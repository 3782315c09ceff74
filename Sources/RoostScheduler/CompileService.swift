import Foundation
import Logging
import RoostCompiler
import RoostCore
import RoostONNX
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
}
