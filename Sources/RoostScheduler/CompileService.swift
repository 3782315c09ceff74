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
    let referenceWorker: ReferenceWorker?
    /// Signs each artifact as it is stored: agents refuse what this key did not sign.
    let signer: ArtifactSigner
    /// Set when agents may share this host: compiles and references wait for their benchmarks.
    var quiet: QuietHost? = nil

    /// `body` outside every local agent's timed window, when there may be one,
    /// waiting at most until `deadline` (default: the host wait from now).
    private func quietly<T: Sendable>(_ what: String, until deadline: ContinuousClock.Instant?,
                                      _ body: () async throws -> T) async throws -> T {
        guard let quiet else { return try await body() }
        return try await quiet.run(what, until: deadline, body)
    }

    /// One bound for every quiet wait of a request that starts now (nil: no host lock).
    func quietDeadline() -> ContinuousClock.Instant? { quiet?.deadline() }

    func artifact(for model: ModelInfo, target: TargetSpec, quietUntil: ContinuousClock.Instant? = nil) async throws -> String {
        if let cached = try await store.artifact(model: model.sha256, targetSignature: target.signature, compilerVersion: RoostVersion.compiler) {
            return cached.sha256
        }
        guard let content = try await store.modelContent(sha256: model.sha256) else { throw RoostError.notFound("model \(model.sha256)") }
        let start = ContinuousClock.now
        let name = model.name
        let (bytes, sha) = try await quietly("compile", until: quietUntil) {
            try await BlockingWork.run("roost-compile") {
                ArtifactCodec.encodeAddressed(try Compiler().compile(try ONNXModel(data: content), name: name, target: target))
            }
        }
        try await store.putArtifact(sha256: sha, model: model.sha256, target: target, compilerVersion: RoostVersion.compiler, content: bytes)
        let claim = ArtifactClaim(sha256: sha, bytes: bytes.count, model: model.sha256)
        try await store.putArtifactSignature(claim, signature: try signer.sign(claim))
        logger.info("compiled artifact", metadata: [
            "model": "\(model.name)", "target": "\(target.label)", "artifact": "\(sha.prefix(12))",
            "bytes": "\(bytes.count)", "elapsed": "\(ContinuousClock.now - start)",
        ])
        return sha
    }

    /// The scheduler's reference path: when the user gave no test data, run the
    /// model once (`ReferenceBuilder`) and keep the outputs, so every agent's
    /// numbers pass the same accuracy gate. In a capped child process when the
    /// entry point provides one (`roost scheduler serve` does); a model that does
    /// not fit or fails gets no accuracy check, and the benchmark still runs.
    func ensureReference(for model: ModelInfo, quietUntil: ContinuousClock.Instant? = nil) async throws {
        if try await store.reference(model: model.sha256) != nil { return }
        guard let content = try await store.modelContent(sha256: model.sha256) else { return }
        let start = ContinuousClock.now
        let name = model.name
        do {
            let reference = try await quietly("reference", until: quietUntil) {
                if let referenceWorker {
                    try await referenceWorker.build(model: content, name: model.name)
                } else {
                    try await BlockingWork.run("roost-reference") { try ReferenceBuilder.build(model: content, name: name) }
                }
            }
            try await store.putReference(model: model.sha256, reference)
            logger.info("computed reference outputs", metadata: ["model": "\(model.name)", "elapsed": "\(ContinuousClock.now - start)"])
        } catch {
            logger.warning("no reference outputs for model; its results carry no accuracy check", metadata: ["model": "\(model.name)", "error": "\(error)"])
        }
    }
}
