import Foundation
import Hummingbird
import Logging
import RoostCore
import RoostStore

/// The agent-facing half of `/v1`: enrollment, heartbeats, leases, artifacts, results.
struct AgentRoutes: Sendable {
    let store: any SchedulerStore
    let auth: Authenticator
    let signal: WorkSignal
    let config: SchedulerConfiguration
    let metrics: SchedulerMetrics
    /// Its public key goes to agents at enrollment; its signatures travel with each artifact.
    let signer: ArtifactSigner
    /// Concurrent lease attempts for the same targets share one statement.
    let leases: StatementBatcher<[String], String, LeasedJob?>
    /// Concurrent result uploads share one statement and one commit.
    let results: StatementBatcher<Int, ResultSubmission, Bool>
    /// Succeeded results that ask for the next job, from agents of the same
    /// targets: one statement accepts them and leases the next jobs.
    let resultsLeasingNext: StatementBatcher<[String], (submission: ResultSubmission, agentID: String), (accepted: Bool, next: LeasedJob?)>

    init(store: any SchedulerStore, auth: Authenticator, signal: WorkSignal, config: SchedulerConfiguration, metrics: SchedulerMetrics,
         signer: ArtifactSigner) {
        self.store = store
        self.signer = signer
        self.auth = auth
        self.signal = signal
        self.config = config
        self.metrics = metrics
        let leaseSeconds = config.leaseSeconds
        leases = StatementBatcher(observe: { size, duration in
            metrics.leaseQuery.record(duration)
            metrics.leaseBatchSize.record(Double(size))
        }) { signatures, agentIDs in
            try await store.lease(agentIDs: agentIDs, targetSignatures: signatures, leaseSeconds: leaseSeconds)
        }
        results = StatementBatcher(observe: { size, _ in metrics.resultBatchSize.record(Double(size)) }) { _, submissions in
            try await store.submitResults(submissions)
        }
        // Two at once: this statement is long (a result and a lease per agent),
        // and while one runs in its PostgreSQL backend the next batch can run in
        // another — `SKIP LOCKED` keeps their leases apart, and an agent is in
        // one batch at a time. Measured: +5 to +35 % closed-loop throughput.
        resultsLeasingNext = StatementBatcher(maxConcurrent: 2, observe: { size, duration in
            metrics.leaseQuery.record(duration)
            metrics.leaseBatchSize.record(Double(size))
            metrics.resultBatchSize.record(Double(size))
        }) { signatures, items in
            try await store.submitResultsLeasingNext(items, targetSignatures: signatures, leaseSeconds: leaseSeconds)
        }
    }

    /// The result route's reply, encoded once.
    private static let acceptedBody = Array(#"{"accepted":true}"#.utf8)

    /// The result route's reply: a `ResultAccepted`, with the job leased with it.
    private static func accepted(next job: LeasedJob?) -> Response {
        JSONResponse.bytes(job?.acceptedWireJSON ?? acceptedBody, contentType: "application/json")
    }

    static let signatureHeader = HTTPFields.Element.Name("Roost-Signature")!

    func register(on router: Router<BasicRequestContext>) {
        router.post("/v1/agents/enroll") { request, _ in try await enroll(request) }
        router.post("/v1/agents/heartbeat") { request, context -> Response in
            let agent = try await auth.requireAgent(request)
            let beat = try await JSONResponse.decode(AgentHeartbeat.self, from: request)
            try await store.heartbeat(agentID: agent.agentID, hardware: beat.hardware, target: beat.hardware.map { TargetSpec(hardware: $0) })
            if beat.hardware != nil { auth.forgetAgent(request) }
            if beat.startup == true {
                let orphans = try await store.releaseOrphanedLeases(agentID: agent.agentID, backoffSeconds: config.retryBackoffSeconds,
                                                                    maxBackoffSeconds: config.maxRetryBackoffSeconds)
                for orphan in orphans {
                    context.logger.warning("lease of a restarted agent ended", metadata: [
                        "job": "\(orphan.jobID)", "agent": "\(agent.name)", "attempt": "\(orphan.attempt)", "state": "\(orphan.state)"])
                }
                if !orphans.isEmpty { await signal.notifyAll() }
            }
            return Response(status: .noContent)
        }
        router.post("/v1/jobs/lease") { request, context in try await lease(request, context) }
        router.post("/v1/jobs/{id}/heartbeat") { request, context -> Response in
            let agent = try await auth.requireAgent(request)
            let id = try context.parameters.decoded("id")
            let beat = try await JSONResponse.decode(JobHeartbeat.self, from: request)
            guard let r = try await store.heartbeatJob(jobID: id, leaseToken: beat.leaseToken, agentID: agent.agentID, phase: beat.phase,
                                                       leaseSeconds: config.leaseSeconds) else {
                let refusal = try await refused("heartbeat", job: id, token: beat.leaseToken, agent: agent, context)
                if refusal.status == .conflict { try await store.heartbeat(agentID: agent.agentID, hardware: nil, target: nil) }
                throw refusal
            }
            // A busy agent is alive even though it is not polling for work.
            try await store.heartbeat(agentID: agent.agentID, hardware: nil, target: nil)
            if r.cancel {
                context.logger.info("cancelled attempt told to stop", metadata: ["job": "\(id)", "agent": "\(agent.name)"])
                try await store.settleDraining(agentID: agent.agentID)
            }
            return JSONResponse.make(r)
        }
        router.post("/v1/jobs/{id}/release") { request, context -> Response in
            let agent = try await auth.requireAgent(request)
            let id = try context.parameters.decoded("id")
            let body = try await JSONResponse.decode(JobRelease.self, from: request)
            guard try await store.releaseJob(jobID: id, leaseToken: body.leaseToken, agentID: agent.agentID, reason: body.reason) else {
                throw try await refused("release", job: id, token: body.leaseToken, agent: agent, context)
            }
            context.logger.info("job handed back", metadata: ["job": "\(id)", "agent": "\(agent.name)", "reason": "\(body.reason)"])
            try await store.settleDraining(agentID: agent.agentID)
            await signal.notifyAll()
            return Response(status: .noContent)
        }
        router.post("/v1/jobs/{id}/result") { request, context -> Response in
            let started = ContinuousClock.now
            let entry = try await auth.requireAgentEntry(request)
            let agent = entry.agent
            let id = try context.parameters.decoded("id")
            let upload = try await readResult(request, job: id, agent: agent.name, context)
            // What is stored is what was validated: the decoded value, encoded
            // again here (in this request's task, not the batch's), never the raw text.
            let encoded = try RoostJSON.encoder().encode(ResultUpload(leaseToken: upload.leaseToken, result: upload.result))
            let submission = ResultSubmission(jobID: id, leaseToken: upload.leaseToken, result: upload.result, uploadJSON: encoded, agentID: agent.agentID)
            // A success that asks for the next job: accepted and leased in one
            // statement. (After an error the quarantine check must come first.)
            if let next = upload.next, upload.result.status == .succeeded {
                let settled = try await resultsLeasingNext.submit((submission, agent.agentID), key: entry.targetSignatures)
                guard settled.accepted else { throw try await refused("result", job: id, token: upload.leaseToken, agent: agent, context) }
                accepted(upload, job: id, agent: agent.name, context)
                if let job = settled.next {
                    leased(job, agent: agent.name, since: started, context)
                    return Self.accepted(next: job)
                }
                // Nothing at once: the rest is an ordinary long-poll (none with a wait of 0).
                if next.waitSeconds > 0 {
                    return Self.accepted(next: try await leaseOrWait(entry, waitSeconds: next.waitSeconds, started: started, context))
                }
                metrics.leaseRequestEmpty.record(ContinuousClock.now - started)
                return Self.accepted(next: nil)
            }
            guard try await results.submit(submission, key: 0) else {
                throw try await refused("result", job: id, token: upload.leaseToken, agent: agent, context)
            }
            accepted(upload, job: id, agent: agent.name, context)
            // A success already settled a draining agent inside the result statement.
            if upload.result.status != .succeeded {
                if let reason = try await store.quarantineAfterErrors(agentID: agent.agentID, errors: config.health.quarantineAfterErrors) {
                    context.logger.warning("agent quarantined", metadata: ["agent": "\(agent.name)", "reason": "\(reason)"])
                }
                try await store.settleDraining(agentID: agent.agentID)
            }
            // The next job rides on the same exchange; the result is committed
            // first, so a lease that fails here loses nothing already accepted.
            guard let next = upload.next else { return Self.accepted(next: nil) }
            return Self.accepted(next: try await leaseOrWait(entry, waitSeconds: next.waitSeconds, started: started, context))
        }
        router.get("/v1/models/{sha}/reference") { request, context -> Response in
            try await auth.requireAgentOrAdmin(request)
            let sha = try context.parameters.decoded("sha")
            guard let reference = try await store.reference(model: sha) else { throw APIError.notFound("no reference data for model \(sha)") }
            return JSONResponse.make(reference)
        }
        router.get("/v1/artifacts/{sha}") { request, context -> Response in
            try await auth.requireAgentOrAdmin(request)
            let sha = try context.parameters.decoded("sha")
            guard Digest.isSHA256Hex(sha), let data = try await store.artifactContent(sha256: sha) else {
                throw APIError.notFound("no artifact \(sha)")
            }
            var response = JSONResponse.bytes(data, contentType: "application/octet-stream")
            // Unsigned (no header) only for a row stored behind the scheduler's back: the agent refuses it.
            if let signature = try await store.artifactSignature(sha256: sha) { response.headers[Self.signatureHeader] = signature }
            return response
        }
        router.get("/v1/agents/signing-key") { request, _ -> Response in
            _ = try await auth.requireAgent(request)
            return JSONResponse.make(SigningKeyResponse(publicKey: signer.publicKey))
        }
    }

    private func enroll(_ request: Request) async throws -> Response {
        let body = try await JSONResponse.decode(EnrollRequest.self, from: request)
        let name = body.name.trimmingCharacters(in: .whitespaces)
        guard !name.isEmpty, name.utf8.count <= InputLimits.agentNameBytes, !InputLimits.hasControlCharacters(name) else {
            throw APIError(.badRequest, "agent name must be 1 to \(InputLimits.agentNameBytes) bytes, without control characters",
                           field: "name", limit: InputLimits.agentNameBytes)
        }
        var effective = body
        effective.name = name
        let credential = SecretToken.generate(prefix: "agent")
        let target = TargetSpec(hardware: body.hardware)
        guard let id = try await store.enroll(tokenHash: SecretToken.hash(body.token), credentialHash: SecretToken.hash(credential),
                                              request: effective, target: target) else {
            throw APIError.unauthorized("enrollment token is invalid, expired or already used")
        }
        return JSONResponse.make(EnrollResponse(agentID: id, name: name, credential: credential, signingKey: signer.publicKey), status: .created)
    }

    private func lease(_ request: Request, _ context: BasicRequestContext) async throws -> Response {
        let started = ContinuousClock.now
        let entry = try await auth.requireAgentEntry(request)
        let body = try await JSONResponse.decode(LeaseRequest.self, from: request)
        guard let job = try await leaseOrWait(entry, waitSeconds: body.waitSeconds, started: started, context) else {
            return Response(status: .noContent)
        }
        return JSONResponse.bytes(job.wireJSON, contentType: "application/json")
    }

    /// Long-poll: try to lease; if nothing matches, wait for a queue signal (or a
    /// one-second tick, to see work queued by other schedulers) until the deadline.
    /// Shared by `POST /v1/jobs/lease` and a result upload that asks for its `next`.
    private func leaseOrWait(_ entry: CredentialCache.Entry, waitSeconds: Double, started: ContinuousClock.Instant,
                             _ context: BasicRequestContext) async throws -> LeasedJob? {
        let agent = entry.agent
        let wait = min(max(waitSeconds, 0), config.maxLeaseWaitSeconds)
        let deadline = ContinuousClock.now + .milliseconds(Int(wait * 1000))
        // Draining an idle agent pauses it at once; this catches one whose job
        // ended some other way. An agent that was active moments ago has nothing to settle.
        if agent.state != AgentState.active.rawValue {
            try await store.settleDraining(agentID: agent.agentID)
        }
        // An agent that is not active (drained, paused, …) is held for the whole
        // wait like an idle one — the lease statement checks its state each time —
        // so it neither spins nor misses a resume.
        let signatures = entry.targetSignatures
        while true {
            if let job = try await leases.submit(agent.agentID, key: signatures) {
                leased(job, agent: agent.name, since: started, context)
                return job
            }
            let remaining = deadline - ContinuousClock.now
            if remaining <= .zero || Task.isCancelled {
                metrics.leaseRequestEmpty.record(ContinuousClock.now - started)
                return nil
            }
            await signal.wait(seconds: min(1.0, Double(remaining.components.seconds) + Double(remaining.components.attoseconds) * 1e-18))
        }
    }

    /// Why a heartbeat, result or release of `job` with `token` was refused: the
    /// lease is another agent's (403: a lease token is valid only with its own
    /// agent's credential; logged with both names), or the token is stale (409).
    private func refused(_ what: String, job id: String, token: String, agent: AgentInfo, _ context: BasicRequestContext) async throws -> APIError {
        if let holder = try await store.leaseHolder(jobID: id, leaseToken: token), holder.agentID != agent.agentID {
            context.logger.warning("lease token presented by an agent that does not hold it", metadata: [
                "job": "\(id)", "what": "\(what)", "agent": "\(agent.name)", "holder": "\(holder.name)"])
            return APIError.forbidden("\(what) for job \(id) refused: its lease is held by another agent, and a lease token is valid only with that agent's credential")
        }
        return APIError.conflict("\(what) for job \(id) refused: the lease token is not the current attempt's")
    }

    /// A result upload, read and checked: the body within its job's limit
    /// (sized from the job's profile; the spec is looked up only for a body or
    /// a sample count past the smallest profile's), every field within
    /// `InputLimits`, every latency, rate and count finite and ≥ 0.
    private func readResult(_ request: Request, job id: String, agent: String, _ context: BasicRequestContext) async throws -> ResultUpload {
        let small = InputLimits.resultBodyBytes(samples: InputLimits.leastMaxSamples)
        var maxSamples: Int?
        func jobMaxSamples() async throws -> Int {
            if let maxSamples { return maxSamples }
            let spec = try await store.jobSpec(jobID: id)
            maxSamples = spec.map(InputLimits.maxSamples(for:)) ?? InputLimits.leastMaxSamples
            return maxSamples!
        }
        let declared = request.headers[.contentLength].flatMap { Int($0) }
        let limit = declared.map({ $0 <= small }) == true ? small : InputLimits.resultBodyBytes(samples: try await jobMaxSamples())
        do {
            let upload = try JSONResponse.decode(ResultUpload.self, from: try await JSONResponse.body(of: request, limit: limit))
            let samples = upload.result.samplesMs.count > InputLimits.leastMaxSamples ? try await jobMaxSamples() : InputLimits.leastMaxSamples
            do {
                try InputCheck.standard.allowing(samples: samples).validate(upload)
                try ResultCheck.semantics(upload.result)
            } catch let v as InputViolation { throw APIError(v) }
            return upload
        } catch let e as APIError {
            context.logger.warning("result refused", metadata: ["job": "\(id)", "agent": "\(agent)", "status": "\(e.status.code)", "cause": "\(e.message)"])
            throw e
        }
    }

    private func leased(_ job: LeasedJob, agent: String, since started: ContinuousClock.Instant, _ context: BasicRequestContext) {
        metrics.leasesGranted.increment()
        metrics.leaseRequestLeased.record(ContinuousClock.now - started)
        context.logger.info("job leased", metadata: ["job": "\(job.jobID)", "agent": "\(agent)", "attempt": "\(job.attempt)"])
    }

    private func accepted(_ upload: ResultUpload, job: String, agent: String, _ context: BasicRequestContext) {
        metrics.recordResult(upload.result)
        context.logger.info("result accepted", metadata: ["job": "\(job)", "agent": "\(agent)", "status": "\(upload.result.status)"])
    }
}

