import Foundation
import RoostCore

/// Everything the scheduler persists. The seam between HTTP handling and SQL:
/// `PostgresStore` is the implementation; every state transition is one guarded
/// statement so two schedulers on one database can never both win.
public protocol SchedulerStore: Sendable {
    // Credentials
    func ensureAdminCredential(hash: String) async throws -> Bool
    func isAdmin(tokenHash: String) async throws -> Bool
    func createEnrollmentToken(hash: String, ttlSeconds: Double) async throws -> Date
    func enroll(tokenHash: String, credentialHash: String, request: EnrollRequest, target: TargetSpec) async throws -> String?
    func agent(credentialHash: String) async throws -> AgentInfo?
    func agents() async throws -> [AgentInfo]
    func heartbeat(agentID: String, hardware: HardwareProfile?, target: TargetSpec?) async throws

    // User tokens (roles, expiry, revocation)
    func createAPIToken(hash: String, name: String, role: TokenRole, ttlSeconds: Double?) async throws -> APITokenInfo
    func apiToken(hash: String) async throws -> APITokenInfo?
    func apiTokens() async throws -> [APITokenInfo]
    func revokeAPIToken(id: String) async throws -> TokenRevocation
    func revokeAgent(name: String) async throws -> String?
    func setBenchmarkOwner(id: String, tokenID: String) async throws
    func benchmarkOwner(id: String) async throws -> String??

    // Models and artifacts
    /// Stores a model; other bytes under a name already taken become that
    /// name's next version. Returns the model as stored, with its version.
    @discardableResult func putModel(_ info: ModelInfo, content: Data) async throws -> ModelInfo
    /// By digest (or a unique prefix), `NAME` (its newest version) or `NAME@VERSION`; with `versions` filled in.
    func model(nameOrDigest: String) async throws -> ModelInfo?
    func modelContent(sha256: String) async throws -> Data?
    func artifact(model: String, targetSignature: String, compilerVersion: String) async throws -> (sha256: String, bytes: Int)?
    func putArtifact(sha256: String, model: String, target: TargetSpec, compilerVersion: String, content: Data) async throws
    func artifactContent(sha256: String) async throws -> Data?
    func putReference(model: String, _ reference: ReferenceData) async throws
    func reference(model: String) async throws -> ReferenceData?
    func putArtifactSignature(_ claim: ArtifactClaim, signature: String) async throws
    func artifactSignature(sha256: String) async throws -> String?
    func unsignedArtifacts() async throws -> [ArtifactClaim]

    // Benchmarks and jobs
    func createBenchmark(id: String, model: String, targets: String, spec: BenchmarkSpec, jobs: [NewJob], labels: [String: String]) async throws
    func benchmarkStatus(id: String) async throws -> BenchmarkStatus?
    func recentBenchmarks(limit: Int) async throws -> [BenchmarkStatus]
    /// Leases at most one job to each of `agentIDs` (agents that share these
    /// target signatures) in one statement; the reply is aligned with `agentIDs`.
    func lease(agentIDs: [String], targetSignatures: [String], leaseSeconds: Double) async throws -> [LeasedJob?]
    /// Extends the lease of `jobID` held with `leaseToken` by `agentID` (nil: by whoever holds it).
    func heartbeatJob(jobID: String, leaseToken: String, agentID: String?, phase: String, leaseSeconds: Double) async throws -> JobHeartbeatResponse?
    /// The agent holding `jobID`'s current attempt with this token, if any.
    func leaseHolder(jobID: String, leaseToken: String) async throws -> (agentID: String, name: String)?
    /// The spec of the benchmark a job belongs to.
    func jobSpec(jobID: String) async throws -> BenchmarkSpec?
    /// Accepts each result only with its attempt's current lease token, all in
    /// one statement; the reply is aligned with `submissions`. A draining agent
    /// whose job succeeded and that holds no other lease is paused with it.
    func submitResults(_ submissions: [ResultSubmission]) async throws -> [Bool]
    /// Succeeded results whose agents (sharing these target signatures) ask for
    /// their next job: accepted as `submitResults` does and, for each accepted
    /// one, a job leased to its agent as `lease` does, in one statement.
    func submitResultsLeasingNext(_ items: [(submission: ResultSubmission, agentID: String)], targetSignatures: [String],
                                  leaseSeconds: Double) async throws -> [(accepted: Bool, next: LeasedJob?)]
    func requeueExpiredLeases(backoffSeconds: Double, maxBackoffSeconds: Double) async throws -> Int
    func expireLeases(backoffSeconds: Double, maxBackoffSeconds: Double) async throws -> [ExpiredLease]
    func releaseOrphanedLeases(agentID: String, backoffSeconds: Double, maxBackoffSeconds: Double) async throws -> [ExpiredLease]

    // Offline bundles
    /// A benchmark whose jobs are exported for boards without network (state `exported`), with its bundle.
    func createBundle(id: String, benchmarkID: String, model: String, targets: String, spec: BenchmarkSpec, jobs: [NewJob],
                      labels: [String: String], resultKey: String) async throws
    func bundle(id: String) async throws -> BundleRecord?
    /// Stores a verified results file's results exactly once; the reply is aligned with `results`.
    func importBundleResults(bundleID: String, board: OfflineBoardAgent, results: [ImportedResult]) async throws -> [BundleImportOutcome]

    // Operations
    func releaseJob(jobID: String, leaseToken: String, agentID: String?, reason: String) async throws -> Bool
    func cancelBenchmark(id: String) async throws -> CancelResponse?
    func changeAgentState(name: String, action: AgentState.Action) async throws -> AgentStateChange
    func settleDraining(agentID: String?) async throws
    func agentStatuses(offlineAfterSeconds: Double) async throws -> [AgentInfo]

    // Health
    func healthCheckDue(agentID: String, schedule: HealthSchedule) async throws -> String?
    func healthBaseline(agentID: String, benchmark: String) async throws -> [Double]?
    func recordHealthCheck(agentID: String, benchmark: String, outcome: HealthVerdict.Outcome, samplesMs: [Double],
                           p50Ms: Double?, ratio: Double?, pValue: Double?, error: String?, reason: String) async throws -> String
    func quarantineAfterErrors(agentID: String, errors: Int) async throws -> String?

    // Reports
    func reportData(model: ModelInfo, compareTo: String?) async throws -> ReportData
    /// One benchmark's accepted results against a baseline: a benchmark id, or
    /// `key=value` for the newest earlier benchmark of a model of the same name
    /// with that label and accepted results (the CI gate). Nil: no such benchmark.
    func benchmarkReportData(id: String, baseline: String?) async throws -> ReportData?
    func models() async throws -> [ModelInfo]
    func jobCountsByState() async throws -> [String: Int]
}

extension SchedulerStore {
    /// A benchmark without labels.
    public func createBenchmark(id: String, model: String, targets: String, spec: BenchmarkSpec, jobs: [NewJob]) async throws {
        try await createBenchmark(id: id, model: model, targets: targets, spec: spec, jobs: jobs, labels: [:])
    }

    /// One result: a batch of one.
    public func submitResult(jobID: String, leaseToken: String, result: BenchmarkResult) async throws -> Bool {
        try await submitResults([ResultSubmission(jobID: jobID, leaseToken: leaseToken, result: result)]).first ?? false
    }

    /// One agent's lease: a batch of one.
    public func lease(agentID: String, targetSignatures: [String], leaseSeconds: Double) async throws -> JobAssignment? {
        try await lease(agentIDs: [agentID], targetSignatures: targetSignatures, leaseSeconds: leaseSeconds).first??.assignment()
    }

    /// With the scheduler's default backoff: 5 s, doubling per attempt, at most 5 min.
    public func requeueExpiredLeases() async throws -> Int {
        try await requeueExpiredLeases(backoffSeconds: 5, maxBackoffSeconds: 300)
    }
}

/// A job to insert with a new benchmark: one per distinct target.
public struct NewJob: Sendable {
    public var id: String
    public var artifactSHA256: String
    public var target: TargetSpec
    public init(id: String, artifactSHA256: String, target: TargetSpec) {
        self.id = id
        self.artifactSHA256 = artifactSHA256
        self.target = target
    }
}
