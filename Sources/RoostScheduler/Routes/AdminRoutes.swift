import Foundation
import Hummingbird
import Logging
import RoostCore
import RoostONNX
import RoostStore

/// The user-facing half of `/v1`: enrollment tokens, models, benchmarks,
/// reports. Reading needs a viewer token, uploading and queueing a submitter
/// token, minting enrollment tokens an admin token (roles nest: admin ⊇ submitter ⊇ viewer).
struct AdminRoutes: Sendable {
    let store: any SchedulerStore
    let auth: Authenticator
    let signal: WorkSignal
    /// Signs uploaded models: engines that run the ONNX model itself take it as their artifact.
    let signer: ArtifactSigner
    let compiler: CompileService

    func register(on router: Router<BasicRequestContext>) {
        router.post("/v1/tokens/enroll") { request, _ -> Response in
            try await auth.requireAdmin(request)
            struct Body: Codable { var ttlSeconds: Double? }
            let body = try await JSONResponse.decode(Body.self, from: request)
            let ttl = body.ttlSeconds ?? 3600
            guard ttl >= 1, ttl <= 30 * 86400 else {
                throw APIError(.badRequest, "token lifetime must be between 1 s and 30 days, not \(ttl) s", field: "ttlSeconds")
            }
            let token = SecretToken.generate(prefix: "enroll")
            let expires = try await store.createEnrollmentToken(hash: SecretToken.hash(token), ttlSeconds: ttl)
            return JSONResponse.make(TokenResponse(token: token, expiresAt: expires), status: .created)
        }
        router.get("/v1/agents") { request, _ -> Response in
            try await auth.require(.viewer, request)
            return JSONResponse.make(try await store.agentStatuses(offlineAfterSeconds: AgentState.offlineAfterSeconds))
        }
        router.post("/v1/models") { request, _ in try await uploadModel(request) }
        router.post("/v1/models/{sha}/reference") { request, context -> Response in
            try await auth.require(.submitter, request)
            let sha = try context.parameters.decoded("sha")
            guard let model = try await store.model(nameOrDigest: sha), model.sha256 == sha else { throw APIError.notFound("no model \(sha)") }
            // Reference tensors are large lists by nature: checked by decoding them as tensors.
            var reference = try await JSONResponse.decodeUnchecked(ReferenceData.self, from: request, limit: 512 << 20)
            reference.source = "user"
            for t in reference.inputs + reference.outputs { _ = try t.tensor() }
            try await store.putReference(model: sha, reference)
            return Response(status: .noContent)
        }
        router.post("/v1/benchmarks") { request, context in try await queue(request, context) }
        router.get("/v1/benchmarks") { request, _ -> Response in
            try await auth.require(.viewer, request)
            return JSONResponse.make(try await store.recentBenchmarks(limit: 50))
        }
        router.get("/v1/benchmarks/{id}") { request, context -> Response in
            try await auth.require(.viewer, request)
            let id = try context.parameters.decoded("id")
            guard let status = try await store.benchmarkStatus(id: id) else { throw APIError.notFound("no benchmark \(id)") }
            return JSONResponse.make(status)
        }
        router.get("/v1/benchmarks/{id}/report") { request, context -> Response in
            try await auth.require(.viewer, request)
            let id = try context.parameters.require("id")
            let baseline = request.uri.queryParameters["baseline"].map(String.init)
            // A bad or unknown baseline is the store's RoostError: 400 or 404 by the error middleware.
            guard let data = try await store.benchmarkReportData(id: id, baseline: baseline) else { throw APIError.notFound("no benchmark \(id)") }
            return JSONResponse.make(data)
        }
        router.get("/v1/reports/{model}") { request, context -> Response in
            try await auth.require(.viewer, request)
            let key = try context.parameters.decoded("model")
            guard let model = try await store.model(nameOrDigest: key) else { throw APIError.notFound("no model named or with digest '\(key)'") }
            let compareTo = request.uri.queryParameters["compare_to"].map(String.init)
            do {
                return JSONResponse.make(try await store.reportData(model: model, compareTo: compareTo))
            } catch let e as RoostError {
                switch e {
                case .invalidArgument(let m): throw APIError.badRequest(m)
                case .notFound(let m): throw APIError.notFound(m)
                default: throw e
                }
            }
        }
        router.get("/v1/models") { request, _ -> Response in
            try await auth.require(.viewer, request)
            return JSONResponse.make(try await store.models())
        }
    }

    /// The body is the ONNX file itself; it must decode as a model before it is stored.
    private func uploadModel(_ request: Request) async throws -> Response {
        try await auth.require(.submitter, request)
        guard let name = request.uri.queryParameters["name"].map(String.init), !name.isEmpty else {
            throw APIError.badRequest("model name required: POST /v1/models?name=NAME")
        }
        guard name.utf8.count <= InputLimits.modelNameBytes, !InputLimits.hasControlCharacters(name) else {
            throw APIError(.badRequest, "model name must be 1 to \(InputLimits.modelNameBytes) bytes, without control characters",
                           field: "name", limit: InputLimits.modelNameBytes)
        }
        let data = try await JSONResponse.body(of: request, limit: 1 << 30)
        let model: ONNXModel
        do { model = try await BlockingWork.run("roost-model-parse") { try ONNXModel(data: data) } } catch let e as RoostError { throw APIError.badRequest(e.description) }
        // Other bytes under a name already taken become its next version.
        var stored = try await store.putModel(ModelInfo(sha256: model.sha256, name: name, bytes: data.count), content: data)
        let claim = ArtifactClaim(sha256: model.sha256, bytes: data.count, model: model.sha256)
        try await store.putArtifactSignature(claim, signature: try signer.sign(claim))
        stored.versions = try await store.model(nameOrDigest: model.sha256)?.versions
        return JSONResponse.make(stored, status: .created)
    }

    /// Picks matching agents — active, or paused/draining by an operator (their
    /// jobs wait for a resume), not those in a health state — compiles once per
    /// distinct target, queues one job per target, and wakes waiting agents.
    private func queue(_ request: Request, _ context: BasicRequestContext) async throws -> Response {
        let started = ContinuousClock.now
        let who = try await auth.require(.submitter, request)
        let body = try await JSONResponse.decode(QueueBenchmarkRequest.self, from: request)
        let labels = body.labels ?? [:]
        let engines = body.engines ?? ["native"]
        try BenchmarkPlanner.validate(spec: body.spec, labels: labels, engines: engines)
        let selector = try TargetSelector(parsing: body.targets)
        guard let model = try await store.model(nameOrDigest: body.modelSHA256) else {
            throw APIError.notFound("no model \(body.modelSHA256); upload it first")
        }
        let agents = try await store.agents().filter {
            [AgentState.active, .paused, .draining].map(\.rawValue).contains($0.state) && selector.matches(name: $0.name, tags: $0.tags, hardware: $0.hardware)
        }
        guard !agents.isEmpty else { throw APIError(.unprocessableContent, "no active or paused agent matches targets '\(selector)'") }
        let targets = try BenchmarkPlanner.targets(machines: agents.map { ($0.name, $0.hardware) }, engines: engines).map { $0.target }
        let jobs = try await BenchmarkPlanner(compiler: compiler).jobs(for: model, targets: targets)
        // Planning (compiles, reference) and storing are logged apart, so a slow request shows which part waited.
        context.logger.info("benchmark planned", metadata: ["model": "\(model.name)", "jobs": "\(jobs.count)", "elapsed": "\(ContinuousClock.now - started)"])
        let id = UUID().uuidString.lowercased()
        try await store.createBenchmark(id: id, model: model.sha256, targets: selector.description, spec: body.spec, jobs: jobs, labels: labels)
        // Who queued it: a submitter may cancel only its own benchmarks.
        try await store.setBenchmarkOwner(id: id, tokenID: who.tokenID)
        await signal.notifyAll()
        context.logger.info("benchmark queued", metadata: ["benchmark": "\(id)", "model": "\(model.name)", "jobs": "\(jobs.count)",
                                                      "elapsed": "\(ContinuousClock.now - started)"])
        guard let status = try await store.benchmarkStatus(id: id) else { throw APIError.notFound(id) }
        return JSONResponse.make(status, status: .created)
    }
}
