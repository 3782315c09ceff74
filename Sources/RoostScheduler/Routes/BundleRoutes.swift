import Foundation
import Hummingbird
import Logging
import RoostBundle
import RoostCore
import RoostStore

/// Offline bundles over `/v1`. Export plans a benchmark for boards without
/// network — described by their probe, or known agents — creates its jobs
/// `exported` (no online agent leases them) and answers one file with the
/// manifest, the signed artifacts and the reference data. Import verifies a
/// results file (this scheduler's key, a known bundle, the seal, each entry's
/// digest, each result's limits) and stores each result exactly once. Both need
/// a submitter token, as queueing does; a viewer may do neither.
struct BundleRoutes: Sendable {
    let store: any SchedulerStore
    let auth: Authenticator
    let signer: ArtifactSigner
    let compiler: CompileService

    static let bundleHeader = HTTPFields.Element.Name("Roost-Bundle")!
    static let benchmarkHeader = HTTPFields.Element.Name("Roost-Benchmark")!
    /// A results file holds raw samples of every job: as large as the largest result uploads allow, per job.
    static let resultsBodyLimit = 1 << 30

    func register(on router: Router<BasicRequestContext>) {
        router.post("/v1/bundles") { request, context in try await export(request, context) }
        router.post("/v1/bundles/import") { request, context in try await importResults(request, context) }
    }

    private func export(_ request: Request, _ context: BasicRequestContext) async throws -> Response {
        let who = try await auth.require(.submitter, request)
        let body = try await JSONResponse.decode(BundleExportRequest.self, from: request)
        let labels = body.labels ?? [:]
        let engines = body.engines ?? ["native"]
        try BenchmarkPlanner.validate(spec: body.spec, labels: labels, engines: engines)
        let selector = try TargetSelector(parsing: body.targets)
        let boards = body.boards ?? []
        for board in boards where !OfflineBoard.isValidName(board.name) {
            throw APIError(.badRequest, "board name '\(board.name.prefix(80))' must be 1-64 letters, digits, '-', '_' or '.'", field: "boards.name", limit: 64)
        }
        guard let model = try await store.model(nameOrDigest: body.modelSHA256) else {
            throw APIError.notFound("no model \(body.modelSHA256); upload it first")
        }
        // Described boards when there are any, else every agent the scheduler knows, whatever its state.
        var machines: [(name: String, tags: [String: String], hardware: HardwareProfile)] = boards.map { ($0.name, $0.tags ?? [:], $0.hardware) }
        if boards.isEmpty { machines = try await store.agents().map { ($0.name, $0.tags, $0.hardware) } }
        let matched = machines.filter { selector.matches(name: $0.name, tags: $0.tags, hardware: $0.hardware) }
        guard !matched.isEmpty else {
            let among = boards.isEmpty ? "the scheduler's agents (describe the board with a probed profile: --target-profile)"
                : "the described board(s) \(boards.map(\.name).joined(separator: ", "))"
            throw APIError(.unprocessableContent, "no board matches targets '\(selector)' among \(among)")
        }
        let planned = try BenchmarkPlanner.targets(machines: matched.map { ($0.name, $0.hardware) }, engines: engines)
        let jobs = try await BenchmarkPlanner(compiler: compiler).jobs(for: model, targets: planned.map { $0.target })
        // Everything the file holds is read before any row is written: a bundle that cannot be made leaves no jobs behind.
        var entries: [(name: String, data: Data)] = []
        var referenceEntry: String?
        if let reference = try await store.reference(model: model.sha256) {
            referenceEntry = BundleManifest.referenceEntry(model.sha256)
            entries.append((referenceEntry!, CanonicalJSON.encode(reference)))
        }
        var bundleJobs: [BundleJob] = []
        for (job, plan) in zip(jobs, planned) {
            let sha = job.artifactSHA256
            // Engines that run the ONNX model itself take the model as their artifact.
            var stored: Data?
            if job.target.engine == "native" { stored = try await store.artifactContent(sha256: sha) } else { stored = try await store.modelContent(sha256: sha) }
            guard let content = stored else { throw RoostError.io("artifact \(sha) of job \(job.id) is missing from the store") }
            let entry = BundleManifest.artifactEntry(sha)
            if !entries.contains(where: { $0.name == entry }) { entries.append((entry, content)) }
            let artifact = BundleArtifact(sha256: sha, bytes: content.count, model: model.sha256,
                                          signature: try await store.artifactSignature(sha256: sha), entry: entry)
            bundleJobs.append(BundleJob(jobID: job.id, board: plan.machine, target: job.target, spec: body.spec, artifact: artifact, reference: referenceEntry))
        }
        let bundleID = UUID().uuidString.lowercased(), benchmarkID = UUID().uuidString.lowercased()
        let resultKey = BundleResultsFile.newResultKey()
        try await store.createBundle(id: bundleID, benchmarkID: benchmarkID, model: model.sha256, targets: selector.description, spec: body.spec,
                                     jobs: jobs, labels: labels, resultKey: resultKey)
        // Who exported it: a submitter may cancel only its own benchmarks.
        try await store.setBenchmarkOwner(id: benchmarkID, tokenID: who.tokenID)
        let manifest = BundleManifest(bundleID: bundleID, benchmarkID: benchmarkID, createdAt: Date(), signingKey: signer.publicKey,
                                      resultKey: resultKey, model: model, jobs: bundleJobs)
        let file = OfflineBundle(manifest: manifest, entries: entries).encoded()
        context.logger.info("bundle exported", metadata: [
            "bundle": "\(bundleID)", "benchmark": "\(benchmarkID)", "model": "\(model.name)", "jobs": "\(jobs.count)", "bytes": "\(file.count)",
        ])
        var response = JSONResponse.bytes(file, contentType: "application/octet-stream",
                                          headers: [Self.bundleHeader: bundleID, Self.benchmarkHeader: benchmarkID])
        response.status = .created
        return response
    }

    private func importResults(_ request: Request, _ context: BasicRequestContext) async throws -> Response {
        try await auth.require(.submitter, request)
        let data = try await JSONResponse.body(of: request, limit: Self.resultsBodyLimit)
        let file: BundleResultsFile
        do { file = try BundleResultsFile.decode(data) } catch let e as RoostError { throw APIError.badRequest(e.description) }
        let m = file.manifest
        guard m.signingKey == signer.publicKey else {
            throw APIError(.unprocessableContent, "these results answer a bundle of another scheduler (signed with key \(m.signingKey.prefix(12))…; this scheduler's key is \(signer.publicKey.prefix(12))…)")
        }
        guard let bundle = try await store.bundle(id: m.bundleID), bundle.benchmarkID == m.benchmarkID else {
            throw APIError.notFound("no bundle \(m.bundleID.prefix(64)) on this scheduler")
        }
        let verified: [(jobID: String, sha256: String, result: BenchmarkResult)]
        do { verified = try file.verify(resultKey: bundle.resultKey) } catch let e as RoostError { throw APIError.badRequest(e.description) }
        guard OfflineBoard.isValidName(m.agentName) else {
            throw APIError(.badRequest, "agent name '\(m.agentName.prefix(80))' must be 1-64 letters, digits, '-', '_' or '.'", field: "agentName", limit: 64)
        }
        try JSONResponse.validate(m.hardware)
        // Every job of a bundle has its benchmark's spec, which sets how many samples a result may carry.
        var maxSamples = InputLimits.leastMaxSamples
        if let first = verified.first, let spec = try await store.jobSpec(jobID: first.jobID) { maxSamples = InputLimits.maxSamples(for: spec) }
        for item in verified {
            do { try ResultCheck.validate(item.result, maxSamples: maxSamples, root: "results[\(item.jobID)]") } catch let v as InputViolation { throw APIError(v) }
        }
        let outcomes = try await store.importBundleResults(
            bundleID: bundle.id, board: OfflineBoardAgent(name: m.agentName, hardware: m.hardware, profile: m.profile),
            results: verified.map { ImportedResult(jobID: $0.jobID, sha256: $0.sha256, result: $0.result) })
        let counts = Dictionary(grouping: outcomes, by: \.outcome.rawValue).mapValues(\.count)
        context.logger.info("bundle results imported", metadata: [
            "bundle": "\(bundle.id)", "agent": "\(m.agentName)", "outcomes": "\(counts.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " "))",
        ])
        return JSONResponse.make(BundleImportResponse(bundleID: bundle.id, benchmarkID: bundle.benchmarkID, agentName: m.agentName, jobs: outcomes))
    }
}
