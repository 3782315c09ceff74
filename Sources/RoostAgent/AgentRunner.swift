import Foundation
import Logging
import RoostBench
import RoostClient
import RoostCore
import RoostProbe

/// The agent's main loop: long-poll for a job, fetch and verify its artifact,
/// run it in a worker under the host lock while heartbeating, report, repeat.
/// A busy agent's result upload also asks for its next job (one exchange per
/// job); it long-polls again when none came.
public struct AgentRunner: Sendable {
    public var credentials: AgentCredentials
    public var hardware: HardwareProfile
    public var home: RoostHome
    public var supervisor: WorkerSupervisor
    public var logger: Logger
    /// Stop after this long without work (demos, tests); nil runs forever.
    public var exitWhenIdle: Double?
    public var heartbeatInterval: Double = 5
    /// How often an agent asks whether its health check is due: after every job
    /// that leaves it idle, and at least this often while it gets each next job
    /// with its last result.
    public var healthAskInterval: Double = 60

    public init(credentials: AgentCredentials, hardware: HardwareProfile, home: RoostHome, supervisor: WorkerSupervisor,
                logger: Logger, exitWhenIdle: Double?) {
        self.credentials = credentials
        self.hardware = hardware
        self.home = home
        self.supervisor = supervisor
        self.logger = logger
        self.exitWhenIdle = exitWhenIdle
    }

    /// Runs until `stop` fires (then hands back the current job and returns) or
    /// the idle limit passes. Results go through the outbox, which is flushed
    /// first of all: what a previous run finished is delivered before new work.
    public func run(stop: StopSignal = StopSignal()) async throws {
        let client = try RoostClient(scheduler: credentials.scheduler, credential: credentials.credential, caCertificate: credentials.caCertificate)
        let delivery = ResultDelivery(client: client, outbox: ResultOutbox(directory: home.path("agents", credentials.name, "outbox")), logger: logger)
        let lock = HostLock(machineID: hardware.machineID)
        let target = TargetSpec(hardware: hardware)
        let waiting = delivery.outbox.pending().count
        if waiting > 0 { logger.info("delivering results from the outbox", metadata: ["results": "\(waiting)"]) }
        try await delivery.flush(persistent: true, stop: stop)
        guard try await announce(to: client, stop: stop) else { return logger.info("agent stopped before it started") }
        let cache = ArtifactCache(directory: home.path("agents", credentials.name, "artifacts"), verifier: try await artifactVerifier(client))
        logger.info("agent running", metadata: ["agent": "\(credentials.name)", "target": "\(target.label)", "scheduler": "\(credentials.scheduler)"])
        // The golden benchmark: at the first start (the baseline), then whenever the
        // scheduler says so. Asked after every job and at least once a minute.
        let health = HealthCheckRunner(client: client, supervisor: supervisor, lock: lock, target: target,
                                       directory: home.path("agents", credentials.name, "health"), logger: logger)
        var healthAsked: ContinuousClock.Instant?
        var idleSince = ContinuousClock.now
        var backoff = Backoff()
        // A job leased with the last result: run it without asking again.
        var handed: JobAssignment?
        func healthAskDue() -> Bool { healthAsked.map { ContinuousClock.now - $0 >= .seconds(healthAskInterval) } ?? true }
        while !stop.isStopped {
            var job = handed
            handed = nil
            if job == nil {
                if healthAskDue() {
                    await health.runIfDue(stop: stop)
                    healthAsked = ContinuousClock.now
                    if stop.isStopped { break }
                }
                if let limit = exitWhenIdle, ContinuousClock.now - idleSince > .milliseconds(Int(limit * 1000)) {
                    logger.info("idle limit reached, exiting", metadata: ["seconds": "\(limit)"])
                    return
                }
                let wait = exitWhenIdle.map { min(30, max(1, $0)) } ?? 30
                let asked = ContinuousClock.now
                do {
                    job = try await lease(client, waitSeconds: wait, stop: stop)
                    backoff.reset()
                } catch let error as RoostError {
                    if case .http(let status, _) = error, status == 401 { throw error }
                    if case .tls = error { throw error }
                    let delay = backoff.next()
                    logger.warning("lease failed; retrying", metadata: ["error": "\(error)", "backoff": "\(String(format: "%.1f", delay))"])
                    await stop.sleep(seconds: delay)
                    continue
                }
                if job == nil {
                    // A scheduler that answers "no work" at once must not make us spin.
                    if ContinuousClock.now - asked < .milliseconds(500) { await stop.sleep(seconds: 1) }
                    continue
                }
            }
            guard let job else { continue }
            if stop.isStopped {
                await handBack(job, client: client)
                break
            }
            // The next job rides on this one's result unless a health ask is due
            // first (a job in hand would wait, unheartbeaten, behind the check).
            handed = try await execute(job, client: client, cache: cache, lock: lock, delivery: delivery, stop: stop,
                                       askNext: !healthAskDue())
            idleSince = ContinuousClock.now
            if handed == nil { healthAsked = nil }
        }
        if let handed { await handBack(handed, client: client) }
        logger.info("agent stopped")
    }

    /// A lease long-poll that a stop interrupts (nil then).
    private func lease(_ client: RoostClient, waitSeconds: Double, stop: StopSignal) async throws -> JobAssignment? {
        try await withThrowingTaskGroup(of: JobAssignment?.self) { group in
            group.addTask { try await client.lease(waitSeconds: waitSeconds) }
            group.addTask { await stop.wait(); return nil }
            defer { group.cancelAll() }
            return try await group.next() ?? nil
        }
    }

    /// Reports the current hardware (so the scheduler's target for this agent is
    /// fresh), retrying with jittered backoff while the scheduler is unreachable.
    /// False when stopped first.
    /// What the scheduler must have signed for this job's artifact. For engines
    /// that run the ONNX model itself the artifact is the model, so its digest
    /// is the model's either way.
    static func claim(_ job: JobAssignment) -> ArtifactClaim {
        ArtifactClaim(sha256: job.artifactSHA256, bytes: job.artifactBytes, model: job.modelSHA256)
    }

    /// The key from enrollment; an agent enrolled before artifacts were signed
    /// asks for it once, over its authenticated channel, and keeps it.
    private func artifactVerifier(_ client: RoostClient) async throws -> ArtifactVerifier {
        if let key = credentials.signingKey { return try ArtifactVerifier(publicKey: key) }
        let key = try await client.signingKey()
        // The file as stored: this run's --ca-cert stays this run's.
        var updated = (try? AgentCredentials.load(name: credentials.name, home: home)) ?? credentials
        updated.signingKey = key
        try updated.save(home: home)
        logger.notice("learned the scheduler's artifact-signing key", metadata: ["agent": "\(credentials.name)"])
        return try ArtifactVerifier(publicKey: key)
    }

    private func announce(to client: RoostClient, stop: StopSignal) async throws -> Bool {
        var backoff = Backoff()
        while !stop.isStopped {
            do {
                // Our outbox is empty and we hold no job: leases in our name are a dead process's.
                try await client.heartbeat(hardware: hardware, startup: true)
                return true
            } catch let error as RoostError {
                if case .http(let status, _) = error, status == 401 || status == 400 { throw error }
                // A certificate that does not verify stays so: say it and exit, do not retry.
                if case .tls = error { throw error }
                let delay = backoff.next()
                logger.warning("scheduler unreachable; retrying", metadata: ["error": "\(error)", "backoff": "\(String(format: "%.1f", delay))"])
                await stop.sleep(seconds: delay)
            }
        }
        return false
    }

    /// How an attempt ended on this side.
    enum Ending: Sendable {
        /// With the host lock, still held for the result's first upload.
        case finished(BenchmarkResult, HostLock.Held?)
        /// The scheduler says the lease is no longer ours (expired, or another attempt).
        case leaseLost
        /// The benchmark was cancelled; the scheduler has already closed the attempt.
        case cancelled
        /// This agent is stopping: hand the attempt back.
        case stopping
    }

    /// Runs one job and reports it; returns the next job when `askNext` and
    /// the result's upload leased one.
    func execute(_ job: JobAssignment, client: RoostClient, cache: ArtifactCache, lock: HostLock,
                 delivery: ResultDelivery, stop: StopSignal, askNext: Bool = false) async throws -> JobAssignment? {
        var meta: Logger.Metadata = ["job": "\(job.jobID)", "model": "\(job.modelName)", "attempt": "\(job.attempt)"]
        logger.info("job leased", metadata: meta)
        let phase = LockedBox("fetching")
        let measure = JobBenchmark(supervisor: supervisor, lock: lock, logger: logger)
        let ending: Ending = await withTaskGroup(of: Ending?.self) { group in
            // Heartbeats run beside the benchmark, never inside it.
            group.addTask { await heartbeats(job, client: client, phase: phase) }
            group.addTask {
                await stop.wait()
                return Task.isCancelled ? nil : .stopping
            }
            group.addTask {
                do {
                    // The whole job holds the host lock, from the artifact's download to
                    // its result's first upload: another agent on this host neither
                    // downloads nor uploads (nor has the scheduler process its upload)
                    // during this job's timed windows, nor this one during theirs.
                    let held = try await lock.acquire()
                    let artifact = try await TransientRetry(what: "artifact download", job: job.jobID, logger: logger).run { try await cache.fetch(Self.claim(job), using: client) }
                    let reference = try await TransientRetry(what: "reference download", job: job.jobID, logger: logger).run {
                        try await client.reference(model: job.modelSHA256).map { try measure.referenceFile($0, jobID: job.jobID) }
                    }
                    defer { if let reference { try? FileManager.default.removeItem(at: reference) } }
                    return .finished(try await measure.run(jobID: job.jobID, attempt: job.attempt, target: job.target, spec: job.spec,
                                                           artifact: artifact, reference: reference, holding: held) { phase.set($0) }, held)
                } catch {
                    return Task.isCancelled ? nil : .finished(.failure(String(describing: error)), nil)
                }
            }
            // The first to finish decides: the worker's result, a lost or cancelled
            // lease, or a stop; the others are cancelled (a cancelled worker is killed).
            var first: Ending?
            while first == nil, let next = await group.next() { first = next }
            group.cancelAll()
            return first ?? .leaseLost
        }
        switch ending {
        case .finished(let result, let held):
            meta["status"] = "\(result.status)"
            if let p50 = result.statistics?.p50 { meta["p50_ms"] = "\(String(format: "%.3f", p50))" }
            if result.tryCount > 1 { meta["tries"] = "\(result.tryCount)" }
            if let steady = result.tries?.steadyTail { meta["steadyTail"] = "\(steady)" }
            if let validity = result.validity, !validity.valid { meta["invalid"] = "\(validity.reasons.joined(separator: "; "))" }
            if let error = result.errorMessage { meta["error"] = "\(error)" }
            logger.info("job finished", metadata: meta)
            // On disk before the first upload: a scheduler that is down now loses nothing.
            do {
                try delivery.outbox.save(ResultOutbox.Entry(jobID: job.jobID, attempt: job.attempt, leaseToken: job.leaseToken, result: result))
            } catch {
                logger.error("cannot write the result to the outbox; uploading directly", metadata: ["error": "\(error)"])
                _ = try? await client.submitResult(jobID: job.jobID, leaseToken: job.leaseToken, result: result)
                return nil
            }
            // When stopping, one try; what is left waits for the next start. The
            // next job is one lease attempt (no long-poll): none, and the loop polls.
            let next = askNext && !stop.isStopped ? (jobID: job.jobID, request: LeaseRequest(waitSeconds: 0)) : nil
            // One upload attempt before the host lock goes: the scheduler handles this
            // result between timed windows. Retries (a scheduler that is down) happen
            // without the lock, so they never hold up the other agents here.
            let first = try await delivery.flush(persistent: false, stop: stop, next: next)
            held?.release()
            guard !first.emptied, !stop.isStopped else { return first.next }
            let retried = try await delivery.flush(persistent: true, stop: stop, next: first.next == nil ? next : nil)
            return first.next ?? retried.next
        case .leaseLost:
            logger.warning("lease lost; the job was given to another attempt", metadata: meta)
        case .cancelled:
            logger.info("job cancelled; worker stopped", metadata: meta)
        case .stopping:
            await handBack(job, client: client)
        }
        return nil
    }

    /// Tells the scheduler to requeue this attempt without counting it. Bounded:
    /// if the scheduler cannot be told, the lease simply expires.
    private func handBack(_ job: JobAssignment, client: RoostClient) async {
        var backoff = Backoff(initial: 0.5, maximum: 2)
        for attempt in 1...5 {
            do {
                let released = try await client.releaseJob(jobID: job.jobID, leaseToken: job.leaseToken, reason: "agent \(credentials.name) is stopping")
                logger.info(released ? "job handed back" : "job was no longer ours to hand back", metadata: ["job": "\(job.jobID)"])
                return
            } catch {
                logger.warning("hand-back failed", metadata: ["job": "\(job.jobID)", "attempt": "\(attempt)", "error": "\(error)"])
                try? await Task.sleep(for: .milliseconds(Int(backoff.next() * 1000)))
            }
        }
        logger.error("could not hand the job back; its lease will expire", metadata: ["job": "\(job.jobID)"])
    }

    /// Extends the lease at least every `heartbeatInterval` (and three times per
    /// lease), reporting the phase; returns (ending the job) only when the
    /// scheduler says the lease is gone or the job was cancelled.
    private func heartbeats(_ job: JobAssignment, client: RoostClient, phase: LockedBox<String>) async -> Ending? {
        let interval = min(heartbeatInterval, max(0.5, job.leaseSeconds / 3))
        let started = ContinuousClock.now
        while !Task.isCancelled {
            do {
                let elapsed = (ContinuousClock.now - started).components.seconds
                let reply = try await client.jobHeartbeat(jobID: job.jobID, leaseToken: job.leaseToken, phase: "\(phase.get()) (\(elapsed) s)")
                guard let reply else {
                    return Task.isCancelled ? nil : .leaseLost
                }
                if reply.cancel { return .cancelled }
            } catch {
                logger.warning("job heartbeat failed", metadata: ["job": "\(job.jobID)", "error": "\(error)"])
            }
            try? await Task.sleep(for: .milliseconds(Int(interval * 1000)))
        }
        return nil
    }
}
