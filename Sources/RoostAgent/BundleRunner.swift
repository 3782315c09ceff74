import Foundation
import Logging
import RoostBundle
import RoostCore

/// `run-bundle`: a bundle's jobs on a board with no network. Each artifact is
/// trusted only after its Ed25519 signature (by the key in the bundle, or the
/// one the operator pins) and its sha256 and size check out — the same check
/// the online agent makes on download; a refused one becomes that job's error
/// result with the reason. Jobs then run through `JobBenchmark`, the online
/// agent's path. Jobs planned for another target are left for another board.
public struct BundleRunner: Sendable {
    public var measure: JobBenchmark
    public var hardware: HardwareProfile
    /// The board's agent name in reports; nil: the board the bundle's jobs were planned for.
    public var agentName: String?
    public var profile: AgentProfile?
    /// When set, a bundle signed with any other key is refused as a whole (a
    /// bundle otherwise vouches for its own key; see docs/security.md).
    public var expectedSigningKey: String?

    public init(measure: JobBenchmark, hardware: HardwareProfile, agentName: String?, profile: AgentProfile?, expectedSigningKey: String? = nil) {
        self.measure = measure
        self.hardware = hardware
        self.agentName = agentName
        self.profile = profile
        self.expectedSigningKey = expectedSigningKey
    }

    /// What a run produced: the sealed results file and what was left out.
    public struct Outcome: Sendable {
        public var file: BundleResultsFile
        public var results: [(jobID: String, result: BenchmarkResult)]
        /// Jobs for another board's target, with the reason.
        public var skipped: [(jobID: String, reason: String)]
    }

    public func run(_ bundle: OfflineBundle) async throws -> Outcome {
        let manifest = bundle.manifest
        if let expectedSigningKey, expectedSigningKey != manifest.signingKey {
            throw RoostError.invalidArgument("the bundle is signed with key \(manifest.signingKey.prefix(12))…, not the expected \(expectedSigningKey.prefix(12))…; refusing it")
        }
        let verifier = try ArtifactVerifier(publicKey: manifest.signingKey)
        let mine = Set(hardware.targets.map(\.signature))
        // Named before anything runs: a bad name must not cost the whole run.
        let name = agentName ?? manifest.jobs.first { mine.contains($0.target.signature) }?.board ?? "offline-board"
        try AgentCredentials.validate(name: name)
        var results: [(jobID: String, result: BenchmarkResult)] = []
        var skipped: [(jobID: String, reason: String)] = []
        for job in manifest.jobs {
            guard mine.contains(job.target.signature) else {
                let reason = "planned for \(job.target.label) (board \(job.board)); this board runs \(hardware.targets.map(\.label).joined(separator: ", "))"
                logger.notice("job skipped: for another target", metadata: ["job": "\(job.jobID)", "reason": "\(reason)"])
                skipped.append((job.jobID, reason))
                continue
            }
            logger.info("job from the bundle", metadata: ["job": "\(job.jobID)", "model": "\(manifest.model.name)", "target": "\(job.target.label)"])
            let result = await run(job, in: bundle, verifier: verifier)
            var meta: Logger.Metadata = ["job": "\(job.jobID)", "status": "\(result.status)"]
            if let p50 = result.statistics?.p50 { meta["p50_ms"] = "\(String(format: "%.3f", p50))" }
            if let error = result.errorMessage { meta["error"] = "\(error)" }
            logger.info("job finished", metadata: meta)
            results.append((job.jobID, result))
        }
        guard !results.isEmpty else {
            throw RoostError.invalidArgument("no job in this bundle is for this board (\(TargetSpec(hardware: hardware).label)): "
                                             + skipped.map { $0.reason }.joined(separator: "; "))
        }
        let file = try BundleResultsFile(bundle: manifest, agentName: name, hardware: hardware, profile: profile, results: results)
        return Outcome(file: file, results: results, skipped: skipped)
    }

    private var logger: Logger { measure.logger }

    /// One job: verify, unpack to the scratch folder, measure; every failure is the job's error result.
    private func run(_ job: BundleJob, in bundle: OfflineBundle, verifier: ArtifactVerifier) async -> BenchmarkResult {
        let scratch = measure.supervisor.scratch
        var written: [URL] = []
        defer { for file in written { try? FileManager.default.removeItem(at: file) } }
        do {
            guard let content = bundle.container.entry(job.artifact.entry) else {
                throw RoostError.invalidArtifact("artifact \(job.artifact.sha256) is missing from the bundle; refusing to run the job")
            }
            try verifier.verify(job.artifact.claim, signature: job.artifact.signature, content: content, what: "bundled artifact")
            try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
            let artifact = scratch.appendingPathComponent("bundle-\(job.jobID).roost")
            written.append(artifact)
            try content.write(to: artifact)
            var reference: URL?
            if let name = job.reference {
                guard let data = bundle.container.entry(name) else { throw RoostError.invalidArgument("reference data \(name) is missing from the bundle") }
                let file = try measure.referenceFile(try CanonicalJSON.decode(ReferenceData.self, from: data), jobID: job.jobID)
                written.append(file)
                reference = file
            }
            return try await measure.run(jobID: job.jobID, attempt: 1, target: job.target, spec: job.spec, artifact: artifact, reference: reference)
        } catch {
            return .failure(String(describing: error))
        }
    }
}
