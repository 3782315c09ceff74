import Foundation
import Logging
import RoostBench
import RoostCore

/// One job's measurement once its artifact is on disk and trusted: the worker
/// request, then every try (`RerunLoop`) in a worker process under the host
/// lock. The online agent (`AgentRunner`) and `run-bundle` (`BundleRunner`)
/// both measure through here, so an offline result is taken exactly as an online one.
public struct JobBenchmark: Sendable {
    public var supervisor: WorkerSupervisor
    public var lock: HostLock
    public var logger: Logger

    public init(supervisor: WorkerSupervisor, lock: HostLock, logger: Logger) {
        self.supervisor = supervisor
        self.lock = lock
        self.logger = logger
    }

    /// Runs the job's tries; `phase` hears what it is doing (the online agent heartbeats it).
    /// A caller that already holds the host lock (the online agent holds it
    /// from the download to the upload) passes it as `holding`; else the tries
    /// take it themselves.
    public func run(jobID: String, attempt: Int, target: TargetSpec, spec: BenchmarkSpec, artifact: URL, reference: URL?,
                    holding held: HostLock.Held? = nil, phase: (String) -> Void = { _ in }) async throws -> BenchmarkResult {
        let request = WorkerRequest(
            artifactPath: artifact.path, engine: target.engine, spec: spec,
            expectedTargetSignature: target.engine == "native" ? target.signature : nil,
            referencePath: reference?.path, threads: target.threads)
        // Every try runs under the host lock: nothing else Roost does on
        // this host (another agent, a local scheduler's compiles) overlaps it.
        let reruns = RerunLoop(spec: spec)
        func tries() async -> BenchmarkResult {
            await reruns.run { number in
                let label = number == 1 ? "" : " (try \(number) of \(1 + reruns.maxReruns))"
                phase("benchmarking\(label)")
                if number == 1 {
                    logger.info("benchmarking", metadata: ["job": "\(jobID)", "attempt": "\(attempt)"])
                } else {
                    logger.info("rerunning: the last try was INVALID for reasons of the environment",
                                metadata: ["job": "\(jobID)", "try": "\(number)"])
                }
                return await supervisor.run(request, target: target)
            }
        }
        if let held, held.isHeld { return await tries() }
        return try await lock.withLock { await tries() }
    }

    /// Writes the model's reference data for the worker's accuracy gate into the scratch folder.
    public func referenceFile(_ reference: ReferenceData, jobID: String) throws -> URL {
        let file = supervisor.scratch.appendingPathComponent("reference-\(jobID).json")
        try FileManager.default.createDirectory(at: supervisor.scratch, withIntermediateDirectories: true)
        try CanonicalJSON.encode(reference).write(to: file)
        return file
    }
}
