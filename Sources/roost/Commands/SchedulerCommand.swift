import ArgumentParser
import Foundation
import Logging
import Metrics
import RoostAgentCLI
import RoostCore
import RoostProbe
import RoostScheduler
import RoostStore

/// `roost scheduler serve`.
struct SchedulerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "scheduler", abstract: "Run the central scheduler.", subcommands: [Serve.self, Reference.self])

    struct Serve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Serve the /v1 API over HTTP, or HTTPS with --tls-cert and --tls-key (migrates the database first).")
        @Option(help: "PostgreSQL URL (default: $DATABASE_URL, then $ROOST_HOME/database-url).") var databaseURL: String?
        @Option(help: "Address to listen on.") var host = "127.0.0.1"
        @Option(help: "Port to listen on.") var port = 8740
        @Option(help: "Seconds a lease lives without a heartbeat.") var leaseSeconds: Double = 30
        @Option(help: "Seconds a requeued job waits before its next attempt; doubles per attempt, at most 300.") var retryBackoffSeconds: Double = 5
        @Option(help: "Hours between an agent's golden-benchmark health checks.") var healthIntervalHours: Double = 6
        @Option(help: "Or a health check after this many jobs, whichever comes first.") var healthEveryJobs = 50
        @Option(help: "Minutes between health checks of a degraded agent (so it can recover).") var healthRecheckMinutes: Double = 15
        @Option(help: "Consecutive job errors that quarantine an agent.") var quarantineAfterErrors = 3
        @Option(help: "Seconds to wait at start for PostgreSQL to accept connections (0: fail at once).") var databaseWaitSeconds: Double = 60
        @Option(help: "Memory cap (MiB) of the child process that computes a reference for a model without test data.") var referenceMemoryLimitMB = 2048
        @Option(help: ArgumentHelp("Serve HTTPS with this PEM certificate chain (server certificate first); needs --tls-key.", valueName: "file"))
        var tlsCert: String?
        @Option(help: ArgumentHelp("The PEM private key (unencrypted) of --tls-cert.", valueName: "file"))
        var tlsKey: String?

        func run() async throws {
            try await runReportingErrors {
                guard (1...65535).contains(port) else { throw RoostError.invalidArgument("--port must be between 1 and 65535") }
                guard leaseSeconds >= 5 else { throw RoostError.invalidArgument("--lease-seconds must be at least 5") }
                guard retryBackoffSeconds >= 0, retryBackoffSeconds <= 300 else { throw RoostError.invalidArgument("--retry-backoff-seconds must be between 0 and 300") }
                guard healthIntervalHours > 0 else { throw RoostError.invalidArgument("--health-interval-hours must be positive") }
                guard healthEveryJobs >= 1 else { throw RoostError.invalidArgument("--health-every-jobs must be at least 1") }
                guard healthRecheckMinutes > 0 else { throw RoostError.invalidArgument("--health-recheck-minutes must be positive") }
                guard databaseWaitSeconds >= 0, databaseWaitSeconds <= 3600 else { throw RoostError.invalidArgument("--database-wait-seconds must be between 0 and 3600") }
                guard referenceMemoryLimitMB >= 512 else { throw RoostError.invalidArgument("--reference-memory-limit-mb must be at least 512 (the child process itself needs a few hundred MiB of address space)") }
                guard quarantineAfterErrors >= 1 else { throw RoostError.invalidArgument("--quarantine-after-errors must be at least 1") }
                let tls = try Self.tls(certificate: tlsCert, key: tlsKey)
                let health = HealthSchedule(intervalSeconds: healthIntervalHours * 3600, everyJobs: healthEveryJobs,
                                            degradedRecheckSeconds: healthRecheckMinutes * 60, quarantineAfterErrors: quarantineAfterErrors)
                let config = SchedulerConfiguration(database: try DatabaseLocator.resolve(databaseURL), host: host, port: port, leaseSeconds: leaseSeconds,
                                                    retryBackoffSeconds: retryBackoffSeconds, health: health,
                                                    databaseWaitSeconds: databaseWaitSeconds,
                                                    referenceWorker: ReferenceWorker(command: Self.referenceCommand(), memoryLimitMB: referenceMemoryLimitMB),
                                                    // Agents on this host benchmark under this lock; compiles wait for it.
                                                    hostLock: HostLock(machineID: HardwareProbe().machineID()),
                                                    tls: tls)
                // The one process-global step: swift-metrics users (Hummingbird's request
                // counters) write into the registry `/metrics` serves.
                let metrics = SchedulerMetrics()
                MetricsSystem.bootstrap(metrics.factory)
                try await SchedulerServer(config: config, logger: Logger(label: "roost.scheduler"), metrics: metrics).run()
            }
        }

        /// Both files or neither: one alone is a mistake, not plain http.
        static func tls(certificate: String?, key: String?) throws -> SchedulerTLS? {
            switch (certificate, key) {
            case (nil, nil): return nil
            case (let certificate?, let key?): return try SchedulerTLS(certificatePath: certificate, keyPath: key)
            case (nil, _): throw RoostError.invalidArgument("--tls-key needs --tls-cert (the certificate chain it belongs to)")
            case (_, nil): throw RoostError.invalidArgument("--tls-cert needs --tls-key (its private key)")
            }
        }
    }
}
