import Foundation
import Hummingbird
import Logging
import RoostCore
import RoostStore

/// The central scheduler: migrates the database, makes sure an admin credential
/// exists, serves the `/v1` API and returns expired leases to the queue.
public struct SchedulerServer: Sendable {
    public let config: SchedulerConfiguration
    public let logger: Logger
    /// What `/metrics` exposes; the entry point owns it (and may bootstrap swift-metrics into it).
    public let metrics: SchedulerMetrics

    public init(config: SchedulerConfiguration, logger: Logger, metrics: SchedulerMetrics = SchedulerMetrics()) {
        self.config = config
        self.logger = logger
        self.metrics = metrics
    }

    public func run() async throws {
        if let tls = config.tls {
            logger.info("serving https", metadata: ["certificate": "\(tls.certificatePath)", "key": "\(tls.keyPath)"])
            if tls.notValidAfter < Date() {
                logger.warning("the TLS certificate has expired: clients will refuse it", metadata: ["not_valid_after": "\(tls.notValidAfter)"])
            }
        }
        try await PostgresStore.with(config.database, logger: logger, migrate: true, waitSeconds: config.databaseWaitSeconds) { store in
            try await bootstrapAdmin(store)
            let signer = try await bootstrapSigner(store)
            let signal = WorkSignal()
            let router = buildRouter(store: store, signal: signal, signer: signer)
            let app = Application(
                router: router,
                server: JSONParseErrorChannel.builder(tls: config.tls?.configuration),
                configuration: .init(address: .hostname(config.host, port: config.port), serverName: "roost-scheduler"),
                onServerRunning: { _ in
                    logger.info("scheduler listening", metadata: ["url": "\(config.tls == nil ? "http" : "https")://\(config.host):\(config.port)"])
                },
                logger: logger)
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await app.runService() }
                group.addTask { await reapExpiredLeases(store: store, signal: signal) }
                try await group.next()
                group.cancelAll()
            }
        }
    }

    func buildRouter(store: any SchedulerStore, signal: WorkSignal, signer: ArtifactSigner = .ephemeral()) -> Router<BasicRequestContext> {
        let router = Router(context: BasicRequestContext.self)
        // Outside the error middleware so it counts the status the client really got.
        router.add(middleware: MetricsMiddleware())
        router.add(middleware: JSONErrorMiddleware())
        let auth = Authenticator(store: store)
        router.get("/health") { _, _ in JSONResponse.make(["status": "ok"]) }
        OpenAPIDocument.register(on: router)
        AgentRoutes(store: store, auth: auth, signal: signal, config: config, metrics: metrics, signer: signer).register(on: router)
        let compiler = CompileService(store: store, logger: logger, referenceWorker: config.referenceWorker, signer: signer,
                                      quiet: config.hostLock.map { QuietHost(lock: $0, waitSeconds: config.hostLockWaitSeconds, logger: logger) })
        AdminRoutes(store: store, auth: auth, signal: signal, signer: signer, compiler: compiler).register(on: router)
        BundleRoutes(store: store, auth: auth, signer: signer, compiler: compiler).register(on: router)
        DashboardRoutes(store: store, access: DashboardAccess(host: config.host, auth: auth, secure: config.tls != nil)).register(on: router)
        OperationsRoutes(store: store, auth: auth, signal: signal).register(on: router)
        TokenRoutes(store: store, auth: auth).register(on: router)
        HealthRoutes(store: store, auth: auth, signal: signal, config: config).register(on: router)
        MetricsRoutes(store: store, metrics: metrics, access: DashboardAccess(host: config.host, auth: auth, secure: config.tls != nil)).register(on: router)
        return router
    }

    /// The admin credential lives in `$ROOST_HOME/admin.token` (0600); the database
    /// holds only its hash. A fresh database with an existing file re-registers it.
    func bootstrapAdmin(_ store: any SchedulerStore) async throws {
        let file = config.home.adminTokenFile
        if let existing = RoostHome.readTrimmed(file), !existing.isEmpty {
            if try await store.ensureAdminCredential(hash: SecretToken.hash(existing)) {
                logger.info("registered existing admin credential", metadata: ["file": "\(file.path)"])
            }
            return
        }
        let token = SecretToken.generate(prefix: "admin")
        try RoostHome.writeSecret(token + "\n", to: file)
        _ = try await store.ensureAdminCredential(hash: SecretToken.hash(token))
        logger.notice("created admin credential", metadata: ["file": "\(file.path)"])
    }

    /// The artifact-signing key in `$ROOST_HOME/signing.key` (0600), created on
    /// first start; artifacts stored before there was one are signed now.
    func bootstrapSigner(_ store: any SchedulerStore) async throws -> ArtifactSigner {
        let file = config.home.path("signing.key")
        let (signer, created) = try ArtifactSigner.loadOrCreate(file)
        if created { logger.notice("created artifact signing key", metadata: ["file": "\(file.path)"]) }
        let unsigned = try await store.unsignedArtifacts()
        for claim in unsigned { try await store.putArtifactSignature(claim, signature: try signer.sign(claim)) }
        if !unsigned.isEmpty { logger.info("signed stored artifacts", metadata: ["count": "\(unsigned.count)"]) }
        return signer
    }

    private func reapExpiredLeases(store: any SchedulerStore, signal: WorkSignal) async {
        while !Task.isCancelled {
            try? await Task.sleep(for: .seconds(config.reaperIntervalSeconds))
            do {
                let expired = try await store.expireLeases(backoffSeconds: config.retryBackoffSeconds, maxBackoffSeconds: config.maxRetryBackoffSeconds)
                for lease in expired {
                    logger.warning("lease expired", metadata: [
                        "job": "\(lease.jobID)", "agent": "\(lease.agentName ?? "-")", "attempt": "\(lease.attempt)", "state": "\(lease.state)",
                    ])
                }
                if !expired.isEmpty {
                    await signal.notifyAll()
                    try await store.settleDraining(agentID: nil)
                }
            } catch {
                logger.error("lease reaper failed", metadata: ["error": "\(error)"])
            }
        }
    }
}
