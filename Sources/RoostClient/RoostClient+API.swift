import Foundation
import RoostCore

/// Typed calls, one per endpoint, so agent and CLI never spell paths twice.
extension RoostClient {
    // MARK: agent
    public func enroll(_ request: EnrollRequest) async throws -> EnrollResponse {
        try await post("/v1/agents/enroll", request, as: EnrollResponse.self)
    }

    public func heartbeat(hardware: HardwareProfile?, startup: Bool = false) async throws {
        try await send("POST", "/v1/agents/heartbeat", body: try RoostJSON.encoder().encode(AgentHeartbeat(hardware: hardware, startup: startup ? true : nil)))
    }

    /// Long-polls for a job; nil when none arrived within `waitSeconds`.
    public func lease(waitSeconds: Double) async throws -> JobAssignment? {
        let reply = try await send("POST", "/v1/jobs/lease", body: try RoostJSON.encoder().encode(LeaseRequest(waitSeconds: waitSeconds)))
        return reply.status == 204 ? nil : try decode(JobAssignment.self, reply.body)
    }

    /// Nil when the scheduler says the lease is no longer ours (409).
    public func jobHeartbeat(jobID: String, leaseToken: String, phase: String) async throws -> JobHeartbeatResponse? {
        let body = try RoostJSON.encoder().encode(JobHeartbeat(leaseToken: leaseToken, phase: phase))
        let reply = try await send("POST", "/v1/jobs/\(jobID)/heartbeat", body: body, allow: [409])
        return reply.status == 409 ? nil : try decode(JobHeartbeatResponse.self, reply.body)
    }

    /// True when accepted; false when refused as stale (409).
    public func submitResult(jobID: String, leaseToken: String, result: BenchmarkResult) async throws -> Bool {
        try await submitResult(jobID: jobID, leaseToken: leaseToken, result: result, next: nil).accepted
    }

    /// Uploads a result and, with `next`, leases the agent's next job in the
    /// same exchange. Refused as stale (409): not accepted, and no next job.
    public func submitResult(jobID: String, leaseToken: String, result: BenchmarkResult,
                             next: LeaseRequest?) async throws -> ResultAccepted {
        let body = try RoostJSON.encoder().encode(ResultUpload(leaseToken: leaseToken, result: result, next: next))
        let reply = try await send("POST", "/v1/jobs/\(jobID)/result", body: body, allow: [409])
        if reply.status == 409 { return ResultAccepted(accepted: false) }
        return next == nil ? ResultAccepted(accepted: true) : try decode(ResultAccepted.self, reply.body)
    }

    /// The model's reference inputs and outputs; nil when it has none.
    public func reference(model sha256: String) async throws -> ReferenceData? {
        let reply = try await send("GET", "/v1/models/\(sha256)/reference", allow: [404])
        return reply.status == 404 ? nil : try decode(ReferenceData.self, reply.body)
    }

    public func uploadReference(_ reference: ReferenceData, model sha256: String) async throws {
        try await send("POST", "/v1/models/\(sha256)/reference", body: try RoostJSON.encoder().encode(reference))
    }

    public func downloadArtifact(sha256: String) async throws -> Data {
        try await send("GET", "/v1/artifacts/\(sha256)").body
    }

    /// The artifact and the scheduler's Ed25519 signature of it (the `Roost-Signature` header; nil when unsigned).
    public func downloadSignedArtifact(sha256: String) async throws -> (data: Data, signature: String?) {
        let reply = try await send("GET", "/v1/artifacts/\(sha256)")
        return (reply.body, reply.headers["roost-signature"])
    }

    /// The scheduler's artifact-signing public key, for an agent enrolled before
    /// enrollment handed it out.
    public func signingKey() async throws -> String {
        try await get("/v1/agents/signing-key", as: SigningKeyResponse.self).publicKey
    }

    // MARK: admin
    public func createEnrollmentToken(ttlSeconds: Double) async throws -> TokenResponse {
        try await post("/v1/tokens/enroll", ["ttlSeconds": ttlSeconds], as: TokenResponse.self)
    }

    public func uploadModel(_ data: Data, name: String) async throws -> ModelInfo {
        try decode(ModelInfo.self, try await send("POST", "/v1/models", body: data, contentType: "application/octet-stream", query: ["name": name],
                                              timeout: Self.heavyRequestTimeout).body)
    }

    public func queueBenchmark(_ request: QueueBenchmarkRequest) async throws -> BenchmarkStatus {
        try await post("/v1/benchmarks", request, as: BenchmarkStatus.self, timeout: Self.heavyRequestTimeout)
    }

    /// Creates the jobs of an offline bundle and returns the bundle file's bytes.
    public func exportBundle(_ request: BundleExportRequest) async throws -> Data {
        try await send("POST", "/v1/bundles", body: try RoostJSON.encoder().encode(request), timeout: Self.heavyRequestTimeout).body
    }

    /// Sends a results file from `run-bundle`; the reply says what became of each result.
    public func importBundleResults(_ file: Data) async throws -> BundleImportResponse {
        try decode(BundleImportResponse.self, try await send("POST", "/v1/bundles/import", body: file, contentType: "application/octet-stream").body)
    }

    public func benchmark(id: String) async throws -> BenchmarkStatus {
        try await get("/v1/benchmarks/\(Self.segment(id))", as: BenchmarkStatus.self)
    }

    public func recentBenchmarks() async throws -> [BenchmarkStatus] {
        try await get("/v1/benchmarks", as: [BenchmarkStatus].self)
    }

    public func agents() async throws -> [AgentInfo] {
        try await get("/v1/agents", as: [AgentInfo].self)
    }

    /// The model's current results and its baseline (`compareTo`, else each row's previous result).
    public func reportData(model: String, compareTo: String? = nil) async throws -> ReportData {
        let query = compareTo.map { ["compare_to": $0] } ?? [:]
        return try decode(ReportData.self, try await send("GET", "/v1/reports/\(Self.segment(model))", query: query).body)
    }

    /// One benchmark's results against `baseline` (a benchmark id or `key=value` label), for the CI gate.
    public func benchmarkReportData(id: String, baseline: String?) async throws -> ReportData {
        let query = baseline.map { ["baseline": $0] } ?? [:]
        return try decode(ReportData.self, try await send("GET", "/v1/benchmarks/\(id)/report", query: query).body)
    }

    /// The scheduler's OpenAPI document, as served.
    public func openAPIDocument() async throws -> Data {
        try await send("GET", "/v1/openapi.json").body
    }

    public func models() async throws -> [ModelInfo] {
        try await get("/v1/models", as: [ModelInfo].self)
    }
}
