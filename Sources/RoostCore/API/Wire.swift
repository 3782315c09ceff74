import Foundation

// The JSON bodies of the scheduler's `/v1` API. They live in RoostCore so the
// agent and CLI share them with the scheduler without linking the server stack.

/// Every error the scheduler answers, whatever the route or status. A refusal of
/// input over a limit names the field and the limit (bytes, or entries of a list).
public struct APIErrorBody: Codable, Sendable {
    public var error: String
    public var field: String?
    public var limit: Int?
    public init(error: String, field: String? = nil, limit: Int? = nil) { self.error = error; self.field = field; self.limit = limit }
}

public struct EnrollRequest: Codable, Sendable {
    public var token: String
    public var name: String
    public var tags: [String: String]
    public var hardware: HardwareProfile
    public var profile: AgentProfile?
    public init(token: String, name: String, tags: [String: String], hardware: HardwareProfile, profile: AgentProfile?) {
        self.token = token; self.name = name; self.tags = tags; self.hardware = hardware; self.profile = profile
    }
}

public struct EnrollResponse: Codable, Sendable {
    public var agentID: String
    public var name: String
    /// The agent's own bearer credential; the scheduler keeps only its hash.
    public var credential: String
    /// The scheduler's Ed25519 public key (base64): the agent refuses artifacts it did not sign.
    public var signingKey: String?
    public init(agentID: String, name: String, credential: String, signingKey: String? = nil) {
        self.agentID = agentID; self.name = name; self.credential = credential; self.signingKey = signingKey
    }
}

/// `GET /v1/agents/signing-key`: the key that signs artifacts (base64 of its 32 bytes).
public struct SigningKeyResponse: Codable, Sendable {
    public var publicKey: String
    public init(publicKey: String) { self.publicKey = publicKey }
}

public struct AgentHeartbeat: Codable, Sendable {
    public var hardware: HardwareProfile?
    /// Sent once by a freshly started agent process, after its outbox is empty:
    /// it holds no job, so any lease still in its name belonged to a previous
    /// process that died, and can go back to the queue now instead of expiring.
    public var startup: Bool?
    public init(hardware: HardwareProfile?, startup: Bool? = nil) {
        self.hardware = hardware
        self.startup = startup
    }
}

public struct LeaseRequest: Codable, Sendable {
    /// How long the scheduler may hold the request open waiting for work (≤ 30 s).
    public var waitSeconds: Double
    public init(waitSeconds: Double) { self.waitSeconds = waitSeconds }
}

/// A leased attempt of a job: everything the agent needs to run it, and the
/// lease token that proves the attempt is still the current one.
public struct JobAssignment: Codable, Sendable, Equatable {
    public var jobID: String
    public var benchmarkID: String
    public var attempt: Int
    public var leaseToken: String
    public var leaseSeconds: Double
    public var modelName: String
    public var modelSHA256: String
    public var artifactSHA256: String
    public var artifactBytes: Int
    public var target: TargetSpec
    public var spec: BenchmarkSpec
    public init(jobID: String, benchmarkID: String, attempt: Int, leaseToken: String, leaseSeconds: Double, modelName: String, modelSHA256: String, artifactSHA256: String, artifactBytes: Int, target: TargetSpec, spec: BenchmarkSpec) {
        self.jobID = jobID; self.benchmarkID = benchmarkID; self.attempt = attempt; self.leaseToken = leaseToken
        self.leaseSeconds = leaseSeconds; self.modelName = modelName; self.modelSHA256 = modelSHA256
        self.artifactSHA256 = artifactSHA256; self.artifactBytes = artifactBytes; self.target = target; self.spec = spec
    }
}

public struct JobHeartbeat: Codable, Sendable {
    public var leaseToken: String
    public var phase: String
    public init(leaseToken: String, phase: String) { self.leaseToken = leaseToken; self.phase = phase }
}

public struct JobHeartbeatResponse: Codable, Sendable {
    public var leaseSeconds: Double
    public var cancel: Bool
    public init(leaseSeconds: Double, cancel: Bool) { self.leaseSeconds = leaseSeconds; self.cancel = cancel }
}

public struct ResultUpload: Codable, Sendable {
    public var leaseToken: String
    public var result: BenchmarkResult
    /// Also lease the agent's next job in this exchange (as `POST /v1/jobs/lease`
    /// would): one round trip and one request per job instead of two.
    public var next: LeaseRequest?
    public init(leaseToken: String, result: BenchmarkResult, next: LeaseRequest? = nil) {
        self.leaseToken = leaseToken; self.result = result; self.next = next
    }
}

/// The reply to a result upload. `next` is the job leased with it, when the
/// upload asked for one and one matched in time.
public struct ResultAccepted: Codable, Sendable {
    public var accepted: Bool
    public var next: JobAssignment?
    public init(accepted: Bool, next: JobAssignment? = nil) { self.accepted = accepted; self.next = next }
}

public struct ModelInfo: Codable, Sendable, Equatable {
    public var sha256: String
    public var name: String
    public var bytes: Int
    /// Uploads of one name are numbered 1, 2, …: uploading other bytes under a
    /// name makes its next version; `NAME` means the newest, `NAME@N` version N.
    public var version: Int?
    /// How many versions the name has (filled in by look-ups, so a client can say which it got).
    public var versions: Int?
    public init(sha256: String, name: String, bytes: Int, version: Int? = nil, versions: Int? = nil) {
        self.sha256 = sha256; self.name = name; self.bytes = bytes; self.version = version; self.versions = versions
    }
}

public struct QueueBenchmarkRequest: Codable, Sendable {
    public var modelSHA256: String
    /// Which agents to benchmark on; see `TargetSelector`.
    public var targets: String
    public var spec: BenchmarkSpec
    /// Engines to measure on each matching agent that has them (default: native).
    public var engines: [String]?
    /// Free-form `key=value` facts stored with the benchmark (git commit, branch), so
    /// a CI run can name its baseline by label and reports say what was measured.
    public var labels: [String: String]?
    public init(modelSHA256: String, targets: String, spec: BenchmarkSpec, engines: [String]? = nil, labels: [String: String]? = nil) {
        self.modelSHA256 = modelSHA256; self.targets = targets; self.spec = spec; self.engines = engines; self.labels = labels
    }
}

public struct JobSummary: Codable, Sendable, Equatable {
    public var jobID: String
    public var state: String
    public var attempt: Int
    public var target: TargetSpec
    public var agentName: String?
    public var errorMessage: String?
    /// What the running attempt last reported in its heartbeat.
    public var phase: String?
    /// A requeued job is not leased before this (retry backoff).
    public var notBefore: Date?
    /// Every finished attempt, oldest first: a `failed` job keeps each attempt's error.
    public var attempts: [JobAttempt]?
    public init(jobID: String, state: String, attempt: Int, target: TargetSpec, agentName: String?, errorMessage: String?,
                phase: String? = nil, notBefore: Date? = nil, attempts: [JobAttempt]? = nil) {
        self.jobID = jobID; self.state = state; self.attempt = attempt; self.target = target; self.agentName = agentName; self.errorMessage = errorMessage
        self.phase = phase; self.notBefore = notBefore; self.attempts = attempts
    }
}

public struct BenchmarkStatus: Codable, Sendable, Equatable {
    public var benchmarkID: String
    public var model: ModelInfo
    public var targets: String
    public var createdAt: Date
    public var jobs: [JobSummary]
    /// The labels it was queued with (`--label key=value`); nil from schedulers that predate them.
    public var labels: [String: String]?
    public init(benchmarkID: String, model: ModelInfo, targets: String, createdAt: Date, jobs: [JobSummary], labels: [String: String]? = nil) {
        self.benchmarkID = benchmarkID; self.model = model; self.targets = targets; self.createdAt = createdAt; self.jobs = jobs
        self.labels = labels
    }

    public static let terminalStates: Set<String> = ["succeeded", "failed", "error", "cancelled"]
    public var isFinished: Bool { jobs.allSatisfy { Self.terminalStates.contains($0.state) } }
    public var progress: String {
        let done = jobs.filter { Self.terminalStates.contains($0.state) }.count
        return "\(done)/\(jobs.count) jobs finished"
    }
}

public struct TokenResponse: Codable, Sendable {
    public var token: String
    public var expiresAt: Date
    public init(token: String, expiresAt: Date) { self.token = token; self.expiresAt = expiresAt }
}

public struct AgentInfo: Codable, Sendable, Equatable {
    public var agentID: String
    public var name: String
    public var state: String
    public var tags: [String: String]
    public var hardware: HardwareProfile
    public var target: TargetSpec
    public var pricePerHour: Double?
    public var lastHeartbeat: Date?
    /// `state` as set by operators and health checks, or `offline` when heartbeats
    /// have stopped (see `AgentState`); filled in by `GET /v1/agents`.
    public var status: String?
    /// The job the agent holds a lease on, if any.
    public var currentJob: String?
    /// Why a health check or the error count put the agent in its state (`degraded`, `quarantined`).
    public var stateReason: String?
    /// Its golden-benchmark baseline and last check, when it has run one.
    public var health: AgentHealth?
    public init(agentID: String, name: String, state: String, tags: [String: String], hardware: HardwareProfile, target: TargetSpec, pricePerHour: Double?, lastHeartbeat: Date?,
                status: String? = nil, currentJob: String? = nil, stateReason: String? = nil, health: AgentHealth? = nil) {
        self.agentID = agentID; self.name = name; self.state = state; self.tags = tags; self.hardware = hardware
        self.target = target; self.pricePerHour = pricePerHour; self.lastHeartbeat = lastHeartbeat
        self.status = status; self.currentJob = currentJob; self.stateReason = stateReason; self.health = health
    }
}

/// One accepted result with the context a report needs to place and price it.
public struct ReportRow: Codable, Sendable, Equatable {
    public var benchmarkID: String
    public var jobID: String
    public var agent: AgentInfo
    public var target: TargetSpec
    public var result: BenchmarkResult
    public var finishedAt: Date
    /// The labels of the benchmark this result belongs to.
    public var labels: [String: String]?
    public init(benchmarkID: String, jobID: String, agent: AgentInfo, target: TargetSpec, result: BenchmarkResult, finishedAt: Date,
                labels: [String: String]? = nil) {
        self.benchmarkID = benchmarkID; self.jobID = jobID; self.agent = agent; self.target = target; self.result = result; self.finishedAt = finishedAt
        self.labels = labels
    }
}

public struct ReportData: Codable, Sendable, Equatable {
    public var model: ModelInfo
    public var rows: [ReportRow]
    /// Rows of an earlier benchmark to check for regressions: `--compare-to BENCHMARK_ID`,
    /// or by default the previous benchmark of the same model on the same agents. Empty: no history.
    public var baseline: [ReportRow]
    /// Stored results that could not be read back (or fail today's checks):
    /// shown as unreadable with their job, never a reason for the report to fail.
    public var unreadable: [UnreadableRow]
    public init(model: ModelInfo, rows: [ReportRow], baseline: [ReportRow] = [], unreadable: [UnreadableRow] = []) {
        self.model = model; self.rows = rows; self.baseline = baseline; self.unreadable = unreadable
    }

    /// Tolerates bodies from schedulers that predate `baseline` and `unreadable`.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        model = try c.decode(ModelInfo.self, forKey: .model)
        rows = try c.decode([ReportRow].self, forKey: .rows)
        baseline = try c.decodeIfPresent([ReportRow].self, forKey: .baseline) ?? []
        unreadable = try c.decodeIfPresent([UnreadableRow].self, forKey: .unreadable) ?? []
    }
}

/// A stored result a report could not use, and why.
public struct UnreadableRow: Codable, Sendable, Equatable {
    public var jobID: String
    public var reason: String
    public init(jobID: String, reason: String) { self.jobID = jobID; self.reason = reason }
}
