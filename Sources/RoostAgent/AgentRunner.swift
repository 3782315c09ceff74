import Foundation
import Logging
import RoostBench
import RoostClient
import RoostCore
import RoostProbe

/// The agent's main loop: long-poll for a job, fetch and verify its artifact,
/// run it in a worker under the host lock while heartbeating, report, repeat.
public struct AgentRunner: Sendable {
    public var credentials: AgentCredentials
    public var hardware: HardwareProfile
    public var home: RoostHome
    public var supervisor: WorkerSupervisor
    public var logger: Logger
    /// Stop after this long without work (demos, tests); nil runs forever.
    public var exitWhenIdle: Double?
    public var heartbeatInterval: Double = 5

    public init(credentials: AgentCredentials, hardware: HardwareProfile, home: RoostHome, supervisor: WorkerSupervisor,
                logger: Logger, exitWhenIdle: Double?) {
        self.credentials = credentials
        self.hardware = hardware
        self.home = home
        self.supervisor = supervisor
        self.logger = logger
        self.exitWhenIdle = exitWhenIdle
    }

    public func run() async throws {
        let client = try RoostClient(scheduler: credentials.scheduler, credential: credentials.credential)
        let cache = ArtifactCache(directory: home.path("agents", credentials.name, "artifacts"))
        let lock = HostLock(machineID: hardware.machineID)
        let target = TargetSpec(hardware: hardware)
        try await announce(to: client)
        logger.info("agent running", metadata: ["agent": "\(credentials.name)", "target": "\(target.label)", "scheduler": "\(credentials.scheduler)"])
        var idleSince = ContinuousClock.now
        var backoff = 0.5
        while !Task.isCancelled {
            if let limit = exitWhenIdle, ContinuousClock.now - idleSince > .milliseconds(Int(limit * 1000)) {
                logger.info("idle limit reached, exiting", metadata: ["seconds": "\(limit)"])
                return
            }
            let wait = exitWhenIdle.map { min(30, max(1, $0)) } ?? 30
            let job: JobAssignment?
            do {
                job = try await client.lease(waitSeconds: wait)
                backoff = 0.5
            } catch let error as RoostError {
                if case .http(let status, _) = error, status == 401 { throw error }
                logger.warning("lease failed; retrying", metadata: ["error": "\(error)", "backoff": "\(backoff)"])
                try await Task.sleep(for: .milliseconds(Int(backoff * Double.random(in: 0.5...1.5) * 1000)))
                backoff = min(backoff * 2, 30)
                continue
            }
            guard let job else { continue }
            try await execute(job, client: client, cache: cache, lock: lock)
            idleSince = ContinuousClock.now
        }
    }

    /// Reports the current hardware (so the scheduler's target for this agent is
    /// fresh), retrying with jittered backoff while the scheduler is unreachable.
    private func announce(to client: RoostClient) async throws {
        var delay = 0.5
        while true {
            do { return try await client.heartbeat(hardware: hardware) } catch let error as RoostError {
                if case .http(let status, _) = error, status == 401 || status == 400 { throw error }
                logger.warning("scheduler unreachable; retrying", metadata: ["error": "\(error)", "backoff": "\(delay)"])
                try await Task.sleep(for: .milliseconds(Int(delay * Double.random(in: 0.5...1.5) * 1000)))
                delay = min(delay * 2, 30)
            }
        }
    }

    func execute(_ job: JobAssignment, client: RoostClient, cache: ArtifactCache, lock: HostLock) async throws {
        var meta: Logger.Metadata = ["job": "\(job.jobID)", "model": "\(job.modelName)", "attempt": "\(job.attempt)"]
        logger.info("job leased", metadata: meta)
        let result: BenchmarkResult = await withTaskGroup(of: BenchmarkResult?.self) { group in
            group.addTask { await heartbeats(job, client: client) }
            group.addTask {
                do {
                    let artifact = try await cache.fetch(sha256: job.artifactSHA256, using: client)
                    let reference = try await referenceFile(for: job, client: client)
                    defer { if let reference { try? FileManager.default.removeItem(at: reference) } }
                    let request = WorkerRequest(
                        artifactPath: artifact.path, engine: job.target.engine, spec: job.spec,
                        expectedTargetSignature: job.target.engine == "native" ? job.target.signature : nil,
                        referencePath: reference?.path, threads: job.target.threads)
                    return try await lock.withLock { await supervisor.run(request, target: job.target) }
                } catch {
                    return .failure(String(describing: error))
                }
            }
            // The first task to finish decides: the worker's result, or a lost lease.
            let first = await group.next() ?? nil
            group.cancelAll()
            return first ?? .failure("lease lost before the job finished")
        }
        meta["status"] = "\(result.status)"
        if let p50 = result.statistics?.p50 { meta["p50_ms"] = "\(String(format: "%.3f", p50))" }
        if let error = result.errorMessage { meta["error"] = "\(error)" }
        let accepted = try await submit(result, for: job, client: client)
        logger.info(accepted ? "result accepted" : "result refused (stale lease)", metadata: meta)
    }

    /// Writes the model's reference data for the worker's accuracy gate, if it has any.
    private func referenceFile(for job: JobAssignment, client: RoostClient) async throws -> URL? {
        guard let reference = try await client.reference(model: job.modelSHA256) else { return nil }
        let file = supervisor.scratch.appendingPathComponent("reference-\(job.jobID).json")
        try FileManager.default.createDirectory(at: supervisor.scratch, withIntermediateDirectories: true)
        try CanonicalJSON.encode(reference).write(to: file)
        return file
    }

    /// Extends the lease every few seconds; returns (ending the job) only if the
    /// scheduler says the lease is no longer ours.
    private func heartbeats(_ job: JobAssignment, client: RoostClient) async -> BenchmarkResult? {
        while !Task.isCancelled {
            do {
                if try await client.jobHeartbeat(jobID: job.jobID, leaseToken: job.leaseToken, phase: "running") == nil {
                    logger.warning("lease lost", metadata: ["job": "\(job.jobID)"])
                    return .failure("lease lost")
                }
            } catch {
                logger.warning("job heartbeat failed", metadata: ["job": "\(job.jobID)", "error": "\(error)"])
            }
            try? await Task.sleep(for: .seconds(heartbeatInterval))
        }
        return nil
    }

    private func submit(_ result: BenchmarkResult, for job: JobAssignment, client: RoostClient) async throws -> Bool {
        var delay = 0.5
        for attempt in 1...8 {
            do {
                return try await client.submitResult(jobID: job.jobID, leaseToken: job.leaseToken, result: result)
            } catch {
                logger.warning("result upload failed", metadata: ["job": "\(job.jobID)", "attempt": "\(attempt)", "error": "\(error)"])
                try await Task.sleep(for: .milliseconds(Int(delay * 1000)))
                delay = min(delay * 2, 10)
            }
        }
        throw RoostError.io("could not upload the result of job \(job.jobID)")
    }
}
