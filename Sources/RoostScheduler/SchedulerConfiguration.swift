import RoostCore
import RoostReport
import RoostStore

/// How a scheduler process is run.
public struct SchedulerConfiguration: Sendable {
    public var database: DatabaseURL
    public var host: String
    public var port: Int
    public var home: RoostHome
    /// A lease lapses this long after the last heartbeat (database clock).
    public var leaseSeconds: Double
    /// Upper bound on a lease long-poll.
    public var maxLeaseWaitSeconds: Double
    /// How often expired leases are returned to the queue: one indexed statement,
    /// so every second is cheap and a dead agent's job is back within lease + 1 s.
    public var reaperIntervalSeconds: Double
    /// A requeued job waits this long before its second attempt, doubling for
    /// each attempt after, up to `maxRetryBackoffSeconds` (database clock).
    public var retryBackoffSeconds: Double
    public var maxRetryBackoffSeconds: Double
    /// When agents run the golden benchmark and when job errors quarantine them.
    public var health: HealthSchedule
    /// How long a starting scheduler waits for PostgreSQL to answer (a host
    /// booting both, a database restarting) before it gives up.
    public var databaseWaitSeconds: Double
    /// Where the scheduler computes a fallback accuracy reference: a capped
    /// child process, or (nil, for library use and tests) in this process.
    public var referenceWorker: ReferenceWorker?
    /// How much slower than its baseline, and how surely, an agent is `degraded`.
    public var healthPolicy: HealthAssessment.Policy
    /// The lock agents on this host benchmark under: compiles and reference
    /// computations take it too, so they never run inside an agent's timed
    /// window here. Nil (library use, tests) takes none.
    public var hostLock: HostLock?
    /// How long a compile waits for that lock before it runs anyway (a queue
    /// request has a client waiting); the agent's run then records the load.
    public var hostLockWaitSeconds: Double = 45
    /// Serve https with this certificate and key; nil serves plain http (behind a
    /// TLS-terminating proxy, or on loopback).
    public var tls: SchedulerTLS?

    public init(database: DatabaseURL, host: String = "127.0.0.1", port: Int = 8740, home: RoostHome = RoostHome(),
                leaseSeconds: Double = 30, maxLeaseWaitSeconds: Double = 30, reaperIntervalSeconds: Double = 1,
                retryBackoffSeconds: Double = 5, maxRetryBackoffSeconds: Double = 300,
                health: HealthSchedule = HealthSchedule(), healthPolicy: HealthAssessment.Policy = HealthAssessment.Policy(),
                databaseWaitSeconds: Double = 60, referenceWorker: ReferenceWorker? = nil, hostLock: HostLock? = nil,
                tls: SchedulerTLS? = nil) {
        self.tls = tls
        self.referenceWorker = referenceWorker
        self.hostLock = hostLock
        self.databaseWaitSeconds = databaseWaitSeconds
        self.database = database
        self.host = host
        self.port = port
        self.home = home
        self.leaseSeconds = leaseSeconds
        self.maxLeaseWaitSeconds = maxLeaseWaitSeconds
        self.reaperIntervalSeconds = reaperIntervalSeconds
        self.retryBackoffSeconds = retryBackoffSeconds
        self.maxRetryBackoffSeconds = maxRetryBackoffSeconds
        self.health = health
        self.healthPolicy = healthPolicy
    }
}
